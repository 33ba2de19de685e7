using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Decisions;
using BalticAI.Sovereignty.Api.Decisions.Grants.Revoking;
using BalticAI.Sovereignty.Api.Decisions.PolicyInput;
using BalticAI.Sovereignty.Api.Decisions.RequestingAccess;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Sites;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Decisions;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Decisions.ShippedBundleApi;
using static BalticAI.Sovereignty.Api.Tests.Sites.SiteGrantsApi;
using static BalticAI.Sovereignty.Api.Tests.Platform.ProblemAndOpenApiTests;

namespace BalticAI.Sovereignty.Api.Tests.Sites;

/// <summary>
/// Sites' facts change (an accreditation lapses, a class or certification is withdrawn): decisions must follow
/// them, and grants decided on a withdrawn fact must not outlive it. Before, a site could not be amended at all.
/// </summary>
public sealed class AmendingSiteTests(BrokerFactory broker) : IClassFixture<BrokerFactory>, IAsyncLifetime
{
    private HttpClient PolicyAdmin => broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin);

    public Task InitializeAsync() => WaitForShippedBundleAsync(broker);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_lapsed_accreditation_revokes_the_sites_grants_and_later_decisions_see_it()
    {
        var site = await RegisterSiteAsync(broker, Code(), "PL", "secure-processing-environment", "iso-27001");
        var dataset = await RegisterAsync(broker, HealthTerms());
        var before = await DecideAsync(broker, site, dataset, job => job["purpose"] = "health-research");
        var grantId = GrantTokens.Remember(before["grant"]!);

        var amended = await PatchAsync(site, """{"accreditations": ["iso-27001"]}""", await ETagAsync(site));

        amended.StatusCode.ShouldBe(HttpStatusCode.OK, await amended.Content.ReadAsStringAsync());
        amended.Headers.ETag!.Tag.ShouldBe("\"2\"");
        (await DatasetApi.ReadJsonAsync(amended))["accreditations"]!.AsArray().Select(a => a!.GetValue<string>()).ShouldBe(["iso-27001"]);
        before["allowed"]!.GetValue<bool>().ShouldBeTrue(before.ToJsonString());
        var revoked = await WaitForGrantAsync(broker, grantId, g => g["status"]!.GetValue<string>() == "revoked");
        revoked["revocationReason"]!.GetValue<string>().ShouldBe("site-facts-withdrawn:health-data-permit");
        var after = await DecideAsync(broker, site, dataset, job => job["purpose"] = "health-research");
        after["allowed"]!.GetValue<bool>().ShouldBeFalse();
        Rules(after).ShouldBe(["health-data-permit"]);
    }

    [Fact]
    public async Task Withdrawing_an_accreditation_revokes_only_the_grants_whose_decisions_needed_it()
    {
        var site = await RegisterSiteAsync(broker, Code(), "PL", "secure-processing-environment", "iso-27001");
        var health = GrantTokens.Remember((await DecideAsync(broker, site, await RegisterAsync(broker, HealthTerms()), job => job["purpose"] = "health-research"))["grant"]!);
        var transcripts = GrantTokens.Remember((await DecideAsync(broker, site, await RegisterAsync(broker, Documented("Public transcripts")), _ => { }))["grant"]!);

        var amended = await PatchAsync(site, """{"accreditations": ["iso-27001"]}""", "\"1\"");

        amended.StatusCode.ShouldBe(HttpStatusCode.OK, await amended.Content.ReadAsStringAsync());
        var revoked = await WaitForGrantAsync(broker, health, g => g["status"]!.GetValue<string>() == "revoked");
        revoked["revocationReason"]!.GetValue<string>().ShouldBe("site-facts-withdrawn:health-data-permit");
        // Both grants are judged on the same amendment and revoked in one commit: the health grant's revocation is the kept grant's answer.
        (await GrantAsync(broker, transcripts))["status"]!.GetValue<string>().ShouldBe("active");
        // The kept grant's release waits until the revoker's progress is saved past the amendment (moments after its revocations).
        (await AmendedGrants.OnceRedecidedAsync(() => RedeemAsync(transcripts))).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await RedeemAsync(health)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Withdrawing_a_fact_no_decision_needed_revokes_nothing()
    {
        var site = await RegisterSiteAsync(broker, Code(), "PL", "secure-processing-environment", "iso-27001");
        var health = GrantTokens.Remember((await DecideAsync(broker, site, await RegisterAsync(broker, HealthTerms()), job => job["purpose"] = "health-research"))["grant"]!);
        var transcripts = GrantTokens.Remember((await DecideAsync(broker, site, await RegisterAsync(broker, Documented("Public transcripts")), _ => { }))["grant"]!);
        var marker = await RegisterAsync(broker, Documented("Marker"));
        var markerGrant = GrantTokens.Remember((await DecideAsync(broker, site, marker, _ => { }))["grant"]!);

        var amended = await PatchAsync(site, """{"accreditations": ["secure-processing-environment"]}""", "\"1\"");
        amended.StatusCode.ShouldBe(HttpStatusCode.OK, await amended.Content.ReadAsStringAsync());
        // The revoker reads the ledger in order: once the later withdrawal's revocation shows, the amendment has been judged.
        await WithdrawAsync(broker, marker);

        (await WaitForGrantAsync(broker, markerGrant, g => g["status"]!.GetValue<string>() == "revoked"))["revocationReason"]!.GetValue<string>().ShouldBe("dataset-withdrawn:owner-decision");
        (await GrantAsync(broker, health))["status"]!.GetValue<string>().ShouldBe("active");
        (await GrantAsync(broker, transcripts))["status"]!.GetValue<string>().ShouldBe("active");
        (await RedeemAsync(health)).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public void A_re_decision_that_denies_or_gives_no_answer_revokes_and_names_the_denying_rules()
    {
        var allowed = new PolicyVerdict(true, [], []);
        var denied = new PolicyVerdict(false,
            [new DecisionReason("residency", "r", null), new DecisionReason("health-data-permit", "a", null), new DecisionReason("health-data-permit", "b", null)], []);

        GrantRevoker.ReasonToRevokeOnSite(allowed, []).ShouldBeNull();
        GrantRevoker.ReasonToRevokeOnSite(denied, []).ShouldBe("site-facts-withdrawn:health-data-permit,residency");
        // Fail closed: a missing recorded decision or bundle, an evaluation that threw or timed out.
        GrantRevoker.ReasonToRevokeOnSite(null, []).ShouldBe(GrantRevoker.SiteFactsWithdrawn);
        GrantRevoker.ReasonToRevokeOnSite(PolicyVerdict.Interpret(null), []).ShouldBe("site-facts-withdrawn:no-decision");
        GrantRevoker.ReasonToRevokeOnSite(new PolicyVerdict(false, [], []), []).ShouldBe(GrantRevoker.SiteFactsWithdrawn);
    }

    [Fact]
    public void A_re_decision_that_allows_with_other_obligations_than_the_grant_carries_revokes()
    {
        JsonObject KeepOnSite() => new() { ["type"] = "keep-on-site", ["site"] = "pl-x", ["days"] = 30 };
        JsonObject Pseudonymise() => new() { ["type"] = "pseudonymise", ["method"] = "keyed-hash" };
        var granted = new[] { KeepOnSite(), Pseudonymise() };
        PolicyVerdict Allows(params JsonObject[] obligations) => new(true, [], obligations);

        // Another order of obligations, or of an obligation's members, is the same grant.
        GrantRevoker.ReasonToRevokeOnSite(Allows(Pseudonymise(), KeepOnSite()), granted).ShouldBeNull();
        GrantRevoker.ReasonToRevokeOnSite(Allows(KeepOnSite(), new JsonObject { ["method"] = "keyed-hash", ["type"] = "pseudonymise" }), granted).ShouldBeNull();
        // Stricter or looser, the grant no longer says what the policy says.
        GrantRevoker.ReasonToRevokeOnSite(Allows(KeepOnSite(), Pseudonymise(), new JsonObject { ["type"] = "delete-after", ["days"] = 7 }), granted)
            .ShouldBe(GrantRevoker.SiteObligationsChanged);
        GrantRevoker.ReasonToRevokeOnSite(Allows(KeepOnSite()), granted).ShouldBe(GrantRevoker.SiteObligationsChanged);
        GrantRevoker.ReasonToRevokeOnSite(Allows(), granted).ShouldBe(GrantRevoker.SiteObligationsChanged);
        GrantRevoker.ReasonToRevokeOnSite(Allows(KeepOnSite(), new JsonObject { ["type"] = "pseudonymise", ["method"] = "tokenisation" }), granted)
            .ShouldBe(GrantRevoker.SiteObligationsChanged);
        GrantRevoker.ReasonToRevokeOnSite(Allows(new JsonObject { ["type"] = "keep-on-site", ["site"] = "pl-x", ["days"] = 7 }, Pseudonymise()), granted)
            .ShouldBe(GrantRevoker.SiteObligationsChanged);
        // A deny or no answer is still worded as a withdrawn fact, whatever the obligations.
        GrantRevoker.ReasonToRevokeOnSite(new PolicyVerdict(false, [new DecisionReason("health-data-permit", "a", null)], []), granted)
            .ShouldBe("site-facts-withdrawn:health-data-permit");
        GrantRevoker.ReasonToRevokeOnSite(null, granted).ShouldBe(GrantRevoker.SiteFactsWithdrawn);
    }

    [Fact]
    public void A_re_decision_reads_the_amended_site_as_a_live_decision_would_and_the_rest_as_recorded()
    {
        var site = new ComputeSite(Guid.NewGuid(), "pl-x", "X", "PL", "pl-cyfronet", ["iso-27001"], ["SCCO1"], null, DateTimeOffset.UnixEpoch);
        var recorded = new JsonObject { ["site"] = new JsonObject { ["id"] = "old", ["dataEmbassyFor"] = "LT" }, ["time"] = "2026-11-30T00:00:00.0000000Z" };

        var input = PolicyInputBuilder.WithSite(recorded, site);

        input["time"]!.GetValue<string>().ShouldBe("2026-11-30T00:00:00.0000000Z");
        input["site"]!.ToJsonString().ShouldBe(
            """{"id":"SITE","country":"PL","operator":"pl-cyfronet","accreditations":["iso-27001"],"securityClasses":["SCCO1"],"dataEmbassy":false,"dpfCertified":false}""".Replace("SITE", site.Id.ToString()));
        recorded["site"]!["id"]!.GetValue<string>().ShouldBe("old");
    }

    [Fact]
    public async Task A_new_name_or_accreditation_revokes_nothing_and_a_patch_that_changes_nothing_records_nothing()
    {
        var site = await RegisterSiteAsync(broker, Code(), "PL");
        var dataset = await RegisterAsync(broker, Documented("Public transcripts"));
        var grantId = GrantTokens.Remember((await DecideAsync(broker, site, dataset, _ => { }))["grant"]!);
        var amendments = await CountEventsAsync(broker, "compute_site_amended");

        var renamed = await PatchAsync(site, """{"name": "Renamed site", "accreditations": ["iso-27001"]}""", "\"1\"");
        var unchanged = await PatchAsync(site, """{"name": "Renamed site"}""", "\"2\"");

        renamed.StatusCode.ShouldBe(HttpStatusCode.OK, await renamed.Content.ReadAsStringAsync());
        unchanged.StatusCode.ShouldBe(HttpStatusCode.OK);
        unchanged.Headers.ETag!.Tag.ShouldBe("\"2\"");
        (await CountEventsAsync(broker, "compute_site_amended")).ShouldBe(amendments + 1);
        (await ETagAsync(site)).ShouldBe("\"2\"");
        await Task.Delay(TimeSpan.FromSeconds(2));
        (await GrantAsync(broker, grantId))["status"]!.GetValue<string>().ShouldBe("active");
        // What the revoker compares with the site's last withdrawal: the version each decision read.
        var later = GrantTokens.Remember((await DecideAsync(broker, site, dataset, _ => { }))["grant"]!);
        (await SiteVersionReadAsync(grantId)).ShouldBe(1);
        (await SiteVersionReadAsync(later)).ShouldBe(2);
    }

    [Fact]
    public async Task Bad_amendments_are_problems_and_record_nothing()
    {
        var site = await RegisterSiteAsync(broker, Code(), "PL");
        var amendments = await CountEventsAsync(broker, "compute_site_amended");

        await ShouldBeProblemAsync(await PatchAsync(site, """{"name": "x"}""", null), HttpStatusCode.PreconditionRequired);
        await ShouldBeProblemAsync(await PatchAsync(site, """{"name": "x"}""", "W/\"1\""), HttpStatusCode.BadRequest);
        var stale = await PatchAsync(site, """{"name": "x"}""", "\"7\"");
        await ShouldBeProblemAsync(stale, HttpStatusCode.PreconditionFailed);
        stale.Headers.ETag!.Tag.ShouldBe("\"1\"");
        await ShouldBeProblemAsync(await PatchAsync(Guid.NewGuid(), """{"name": "x"}""", "\"1\""), HttpStatusCode.NotFound);
        await ShouldBeProblemAsync(await PatchAsync(site, """["name"]""", "\"1\""), HttpStatusCode.BadRequest);
        await ShouldBeProblemAsync(await PatchAsync(site, """{"code": null}""", "\"1\""), HttpStatusCode.BadRequest);
        await ShouldBeProblemAsync(await PatchAsync(site, """{"name": "x"}""", "\"1\"", "application/json"), HttpStatusCode.UnsupportedMediaType);
        var moved = await ShouldBeProblemAsync(await PatchAsync(site, """{"country": "EE"}""", "\"1\""), HttpStatusCode.UnprocessableEntity);
        moved["errors"]!["/country"].ShouldNotBeNull();
        var certified = await ShouldBeProblemAsync(await PatchAsync(site, """{"dpfCertified": true}""", "\"1\""), HttpStatusCode.UnprocessableEntity);
        certified["errors"]!["/dpfCertified"].ShouldNotBeNull();
        var unknownClass = await ShouldBeProblemAsync(await PatchAsync(site, """{"securityClasses": ["E-ITS-H"]}""", "\"1\""), HttpStatusCode.UnprocessableEntity);
        unknownClass["errors"]!["/securityClasses/0"].ShouldNotBeNull();

        (await CountEventsAsync(broker, "compute_site_amended")).ShouldBe(amendments);
        (await ETagAsync(site)).ShouldBe("\"1\"");
    }

    [Fact]
    public void A_grant_decided_on_an_older_version_of_a_site_that_has_since_withdrawn_a_fact_is_decided_again_when_it_is_recorded()
    {
        var site = new ComputeSite(Guid.NewGuid(), "pl-x", "X", "PL", "pl-cyfronet", [], [], null, DateTimeOffset.UnixEpoch) { Version = 3, FactsWithdrawnInVersion = 3 };

        GrantRevoker.ReadBeforeWithdrawal(2, site).ShouldBeTrue();
        GrantRevoker.ReadBeforeWithdrawal(3, site).ShouldBeFalse();
        GrantRevoker.ReadBeforeWithdrawal(0, site).ShouldBeFalse();
        GrantRevoker.ReadBeforeWithdrawal(2, site with { FactsWithdrawnInVersion = 0 }).ShouldBeFalse();
        GrantRevoker.ReadBeforeWithdrawal(2, null).ShouldBeFalse();
    }

    private Task<HttpResponseMessage> PatchAsync(Guid site, string body, string? etag, string contentType = "application/merge-patch+json") =>
        PolicyAdmin.SendAsync(HttpMethod.Patch, $"/sites/{site}", body, etag, contentType);

    private Task<HttpResponseMessage> RedeemAsync(string grantId) => AmendedGrants.RedeemAsync(broker, grantId);

    private Task<long> SiteVersionReadAsync(string grantId) => AmendedGrants.IssuedWithAsync(broker, grantId, "SiteVersion");

    private async Task<string> ETagAsync(Guid site)
    {
        var read = await broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem).GetAsync($"/sites/{site}");
        read.StatusCode.ShouldBe(HttpStatusCode.OK);
        return read.Headers.ETag!.Tag;
    }

    private static string Code() => $"pl-amend-{Guid.NewGuid():N}"[..20];
}
