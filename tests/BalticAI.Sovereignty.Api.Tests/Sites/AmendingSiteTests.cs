using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Decisions.Grants.Revoking;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Sites;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Decisions;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using Npgsql;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Decisions.ShippedBundleApi;
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
        var revoked = await WaitForGrantAsync(grantId, g => g["status"]!.GetValue<string>() == "revoked");
        revoked["revocationReason"]!.GetValue<string>().ShouldBe(GrantRevoker.SiteFactsWithdrawn);
        var after = await DecideAsync(broker, site, dataset, job => job["purpose"] = "health-research");
        after["allowed"]!.GetValue<bool>().ShouldBeFalse();
        Rules(after).ShouldBe(["health-data-permit"]);
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
        (await GrantAsync(grantId))["status"]!.GetValue<string>().ShouldBe("active");
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
    public void A_grant_decided_on_an_older_version_of_a_site_that_has_since_withdrawn_a_fact_is_revoked_when_it_is_recorded()
    {
        var site = new ComputeSite(Guid.NewGuid(), "pl-x", "X", "PL", "pl-cyfronet", [], [], null, DateTimeOffset.UnixEpoch) { Version = 3, FactsWithdrawnInVersion = 3 };

        GrantRevoker.ReasonToRevokeIssuedOnSite(2, site).ShouldBe(GrantRevoker.SiteFactsWithdrawn);
        GrantRevoker.ReasonToRevokeIssuedOnSite(3, site).ShouldBeNull();
        GrantRevoker.ReasonToRevokeIssuedOnSite(0, site).ShouldBeNull();
        GrantRevoker.ReasonToRevokeIssuedOnSite(2, site with { FactsWithdrawnInVersion = 0 }).ShouldBeNull();
    }

    private Task<HttpResponseMessage> PatchAsync(Guid site, string body, string? etag, string contentType = "application/merge-patch+json") =>
        PolicyAdmin.SendAsync(HttpMethod.Patch, $"/sites/{site}", body, etag, contentType);

    private async Task<long> SiteVersionReadAsync(string grantId)
    {
        await using var connection = new NpgsqlConnection(TestServices.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select (data ->> 'SiteVersion')::bigint from {broker.Schema}.mt_events where type = 'grant_issued' and stream_id = @grant", connection);
        command.Parameters.AddWithValue("grant", Guid.Parse(grantId));
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<string> ETagAsync(Guid site)
    {
        var read = await broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem).GetAsync($"/sites/{site}");
        read.StatusCode.ShouldBe(HttpStatusCode.OK);
        return read.Headers.ETag!.Tag;
    }

    private async Task<JsonNode> GrantAsync(string grantId)
    {
        var read = await broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem).GetAsync($"/grants/{grantId}");
        read.StatusCode.ShouldBe(HttpStatusCode.OK, await read.Content.ReadAsStringAsync());
        return await DatasetApi.ReadJsonAsync(read);
    }

    private async Task<JsonNode> WaitForGrantAsync(string grantId, Func<JsonNode, bool> done)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var grant = await GrantAsync(grantId);
            if (done(grant) || clock.Elapsed > TimeSpan.FromSeconds(20))
            {
                return grant;
            }
            await Task.Delay(100);
        }
    }

    private static string Code() => $"pl-amend-{Guid.NewGuid():N}"[..20];
}
