using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Decisions;
using BalticAI.Sovereignty.Api.Decisions.Grants.Revoking;
using BalticAI.Sovereignty.Api.Decisions.PolicyInput;
using BalticAI.Sovereignty.Api.Decisions.RequestingAccess;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Decisions.ShippedBundleApi;
using static BalticAI.Sovereignty.Api.Tests.Sites.SiteGrantsApi;

namespace BalticAI.Sovereignty.Api.Tests.Decisions;

/// <summary>
/// An owner who narrowed a dataset's permitted purposes found the grants issued before still active and redeemable
/// until they expired: only terms that ended sooner revoked them. Grants now follow amended terms as they follow a
/// site that loses a fact.
/// </summary>
public sealed class TermsRedecisionTests(InterleavingBroker broker) : IClassFixture<InterleavingBroker>, IAsyncLifetime
{
    public Task InitializeAsync() => WaitForShippedBundleAsync(broker);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Narrowed_purposes_revoke_the_grants_they_now_deny_and_keep_the_others()
    {
        var site = await RegisterSiteAsync(broker, Code(), "PL");
        var dataset = await RegisterAsync(broker, Documented("Parliament transcripts"));
        var research = await DecideAsync(broker, site, dataset, _ => { });
        var education = await DecideAsync(broker, site, dataset, job => job["purpose"] = "education");
        research["allowed"]!.GetValue<bool>().ShouldBeTrue(research.ToJsonString());
        education["allowed"]!.GetValue<bool>().ShouldBeTrue(education.ToJsonString());
        var researchGrant = GrantTokens.Remember(research["grant"]!);
        var educationGrant = GrantTokens.Remember(education["grant"]!);
        await RevokerCaughtUpAsync(site);

        var amended = await AmendAsync(dataset, """{"use": {"permittedPurposes": ["education"]}}""");

        amended.StatusCode.ShouldBe(HttpStatusCode.OK, await amended.Content.ReadAsStringAsync());
        var revoked = await WaitForGrantAsync(broker, researchGrant, g => g["status"]!.GetValue<string>() == "revoked");
        revoked["revocationReason"]!.GetValue<string>().ShouldBe("dataset-terms-amended:usage-terms");
        // Both grants were judged on the same amendment, and revocations of one amendment commit together.
        (await GrantAsync(broker, educationGrant))["status"]!.GetValue<string>().ShouldBe("active");
        (await RedeemAsync(researchGrant)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await AmendedGrants.OnceRedecidedAsync(() => RedeemAsync(educationGrant))).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Terms_that_still_allow_with_other_obligations_revoke_so_the_training_system_asks_again()
    {
        var site = await RegisterSiteAsync(broker, Code(), "PL");
        var dataset = await RegisterAsync(broker, Documented("Radio archive"));
        // A model licensed for non-commercial use only, so a non-commercial restriction still allows, with a duty more.
        void NonCommercialModel(JsonObject job) => job["model"]!["licence"] = "CC-BY-NC-4.0";
        var decided = await DecideAsync(broker, site, dataset, NonCommercialModel);
        var grant = GrantTokens.Remember(decided["grant"]!);
        await RevokerCaughtUpAsync(site);

        var amended = await AmendAsync(dataset, """{"licensing": {"restrictions": ["nc"]}}""");

        amended.StatusCode.ShouldBe(HttpStatusCode.OK, await amended.Content.ReadAsStringAsync());
        var revoked = await WaitForGrantAsync(broker, grant, g => g["status"]!.GetValue<string>() == "revoked");
        revoked["revocationReason"]!.GetValue<string>().ShouldBe(GrantRevoker.DatasetObligationsChanged);
        var again = await DecideAsync(broker, site, dataset, NonCommercialModel);
        again["allowed"]!.GetValue<bool>().ShouldBeTrue(again.ToJsonString());
        Types(again, "obligations").ShouldContain("model-inherits-non-commercial");
        Types(decided, "obligations").ShouldNotContain("model-inherits-non-commercial");
    }

    [Fact]
    public async Task An_amendment_no_decision_depends_on_revokes_nothing_and_grants_record_the_revision_they_read()
    {
        var site = await RegisterSiteAsync(broker, Code(), "PL");
        var dataset = await RegisterAsync(broker, Documented("Court rulings"));
        var grant = GrantTokens.Remember((await DecideAsync(broker, site, dataset, _ => { }))["grant"]!);

        (await AmendAsync(dataset, """{"description": "Rulings of the regional courts, 2010-2024."}""")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await RevokerCaughtUpAsync(site);

        (await GrantAsync(broker, grant))["status"]!.GetValue<string>().ShouldBe("active");
        // What the revoker compares with the dataset's last amendment: registration 1, the version 2, the amendment 3.
        var later = GrantTokens.Remember((await DecideAsync(broker, site, dataset, _ => { }))["grant"]!);
        (await DatasetRevisionReadAsync(grant)).ShouldBe(2);
        (await DatasetRevisionReadAsync(later)).ShouldBe(3);
    }

    [Fact]
    public async Task Terms_narrowed_while_a_decision_on_the_old_terms_commits_revoke_its_grant()
    {
        var site = await RegisterSiteAsync(broker, Code(), "PL");
        var dataset = await RegisterAsync(broker, Documented("Press agency wires"));
        // The decision has read revision 2 and allows; before it commits, the owner narrows the purposes. Whether the
        // revoker meets the amendment or the grant first, the grant must not outlive the terms it breaks.
        broker.Interleaver.Arm<GrantIssued>(async (_, _) =>
            (await AmendAsync(dataset, """{"use": {"permittedPurposes": ["education"]}}""")).StatusCode.ShouldBe(HttpStatusCode.OK));

        var decided = await DecideAsync(broker, site, dataset, _ => { });

        decided["allowed"]!.GetValue<bool>().ShouldBeTrue(decided.ToJsonString());
        var grant = GrantTokens.Remember(decided["grant"]!);
        (await DatasetRevisionReadAsync(grant)).ShouldBe(2);
        var revoked = await WaitForGrantAsync(broker, grant, g => g["status"]!.GetValue<string>() == "revoked");
        revoked["revocationReason"]!.GetValue<string>().ShouldBe("dataset-terms-amended:usage-terms");
    }

    [Fact]
    public async Task A_re_decision_on_amended_terms_reads_the_site_as_it_stood_at_the_amendment()
    {
        var site = await RegisterSiteAsync(broker, Code(), "PL", "secure-processing-environment", "iso-27001");
        var registry = Documented("Land registry extracts");
        registry["sector"] = new JsonObject { ["publicSector"] = true, ["protectedCategories"] = new JsonArray("commercial-confidentiality") };
        registry["use"] = new JsonObject { ["reuseConditions"] = new JsonObject { ["reference"] = "urn:pl-mc:reuse:land-registry", ["secureProcessingEnvironment"] = false } };
        var dataset = await RegisterAsync(broker, registry);
        var decided = await DecideAsync(broker, site, dataset, _ => { });
        decided["allowed"]!.GetValue<bool>().ShouldBeTrue(decided.ToJsonString());
        var grant = GrantTokens.Remember(decided["grant"]!);
        // The site loses its secure processing environment: no condition needs it yet, so the grant stands.
        var lapsed = await broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin)
            .SendAsync(HttpMethod.Patch, $"/sites/{site}", """{"accreditations": ["iso-27001"]}""", "\"1\"", "application/merge-patch+json");
        lapsed.StatusCode.ShouldBe(HttpStatusCode.OK, await lapsed.Content.ReadAsStringAsync());
        await RevokerCaughtUpAsync(await RegisterSiteAsync(broker, Code(), "PL"));
        (await GrantAsync(broker, grant))["status"]!.GetValue<string>().ShouldBe("active");

        var amended = await AmendAsync(dataset, """{"use": {"reuseConditions": {"secureProcessingEnvironment": true}}}""");

        amended.StatusCode.ShouldBe(HttpStatusCode.OK, await amended.Content.ReadAsStringAsync());
        // Judged on the site as recorded at the decision, the condition would be met and only the obligations differ.
        var revoked = await WaitForGrantAsync(broker, grant, g => g["status"]!.GetValue<string>() == "revoked");
        revoked["revocationReason"]!.GetValue<string>().ShouldBe("dataset-terms-amended:public-sector-conditions");
    }

    [Fact]
    public void A_re_decision_reads_the_amended_terms_as_a_live_decision_would_and_the_rest_as_recorded()
    {
        var terms = RecordedDatasets.MinimalTerms(new() { PermittedPurposes = ["education"] });
        var versions = new[] { new DatasetVersion(1, DatasetApi.Digest1, 10, null, ["pl"], null, DateTimeOffset.UnixEpoch), new DatasetVersion(2, DatasetApi.Digest2, 20, null, ["pl"], null, DateTimeOffset.UnixEpoch) };
        var dataset = new Dataset(Guid.NewGuid(), "pl-mc", "PL", terms, DatasetStatus.Active, versions, null, null, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);
        var parent = new JsonObject { ["id"] = "parent", ["version"] = "4", ["status"] = "active" };
        var recorded = new JsonObject
        {
            ["dataset"] = new JsonObject { ["id"] = "old", ["version"] = "1", ["derivedFrom"] = new JsonArray(parent) },
            ["time"] = "2026-11-30T00:00:00.0000000Z",
            ["job"] = new JsonObject { ["purpose"] = "research" },
        };

        var input = PolicyInputBuilder.WithDataset(recorded, dataset);

        input["time"]!.GetValue<string>().ShouldBe("2026-11-30T00:00:00.0000000Z");
        input["job"]!.ToJsonString().ShouldBe("""{"purpose":"research"}""");
        input["dataset"]!["id"]!.GetValue<string>().ShouldBe(dataset.Id.ToString());
        input["dataset"]!["terms"]!["permittedPurposes"]!.ToJsonString().ShouldBe("""["education"]""");
        input["dataset"]!["content"]!["digest"]!.GetValue<string>().ShouldBe(DatasetApi.Digest1);
        input["dataset"]!["derivedFrom"]!.ToJsonString().ShouldBe("""[{"id":"parent","version":"4","status":"active"}]""");
        ((JsonObject)input["dataset"]!["origin"]!).ContainsKey("crawler").ShouldBeFalse();
        recorded["dataset"]!["id"]!.GetValue<string>().ShouldBe("old");
    }

    [Fact]
    public void A_grant_decided_on_terms_amended_since_is_decided_again_when_it_is_recorded()
    {
        var view = new DatasetView { State = null!, Revision = 4, TermsAmendedInRevision = 3 };

        GrantRevoker.ReadBeforeTermsAmendment(2, view).ShouldBeTrue();
        GrantRevoker.ReadBeforeTermsAmendment(3, view).ShouldBeFalse();
        GrantRevoker.ReadBeforeTermsAmendment(0, view).ShouldBeFalse();
        GrantRevoker.ReadBeforeTermsAmendment(2, view with { TermsAmendedInRevision = 0 }).ShouldBeFalse();
        GrantRevoker.ReadBeforeTermsAmendment(2, null).ShouldBeFalse();
        GrantRevoker.ReasonToRevokeOnTerms(new PolicyVerdict(false, [new DecisionReason("usage-terms", "m", null)], []), []).ShouldBe("dataset-terms-amended:usage-terms");
        GrantRevoker.ReasonToRevokeOnTerms(null, []).ShouldBe(GrantRevoker.TermsAmended);
    }

    /// <summary>The revoker reads the ledger in order: once a later withdrawal's revocation shows, everything recorded before it has been judged.</summary>
    private Task RevokerCaughtUpAsync(Guid site) => AmendedGrants.RevokerCaughtUpAsync(broker, site);

    private Task<HttpResponseMessage> AmendAsync(Guid dataset, string patch) => AmendedGrants.AmendAsync(broker, dataset, patch);

    private Task<HttpResponseMessage> RedeemAsync(string grantId) => AmendedGrants.RedeemAsync(broker, grantId);

    private Task<long> DatasetRevisionReadAsync(string grantId) => AmendedGrants.IssuedWithAsync(broker, grantId, "DatasetRevision");

    private static string Code() => $"pl-terms-{Guid.NewGuid():N}"[..20];
}
