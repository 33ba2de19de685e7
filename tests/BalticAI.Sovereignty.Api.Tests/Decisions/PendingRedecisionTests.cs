using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Decisions.Grants;
using BalticAI.Sovereignty.Api.Decisions.Grants.RedeemingGrant;
using BalticAI.Sovereignty.Api.Sites;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Decisions.ShippedBundleApi;
using static BalticAI.Sovereignty.Api.Tests.Decisions.AmendedGrants;
using static BalticAI.Sovereignty.Api.Tests.Sites.SiteGrantsApi;

namespace BalticAI.Sovereignty.Api.Tests.Decisions;

/// <summary>
/// Between an amendment of a dataset's terms and the grant revoker's verdict on it, a data plane could still release
/// bytes under a grant the new terms deny. The revoker is held here (row locks) to keep that window open as long as a
/// backlog or a failover would: releases under grants decided on the old terms wait, and the others go through.
/// </summary>
public sealed class PendingRedecisionTests(InterleavingBroker broker) : IClassFixture<InterleavingBroker>, IAsyncLifetime
{
    public Task InitializeAsync() => WaitForShippedBundleAsync(broker);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_release_under_a_grant_the_amended_terms_deny_waits_and_is_then_refused()
    {
        var (dataset, grant) = await RedeemedGrantAsync("Senate transcripts");

        var waiting = await WhileTheRevokerIsHeldAsync(broker, grant, async () =>
        {
            (await AmendAsync(broker, dataset, """{"use": {"permittedPurposes": ["education"]}}""")).StatusCode.ShouldBe(HttpStatusCode.OK);
            return await RedeemAsync(broker, grant);
        });

        waiting.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable, await waiting.Content.ReadAsStringAsync());
        waiting.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(1));
        JsonNode.Parse(await waiting.Content.ReadAsStringAsync())!["title"]!.GetValue<string>().ShouldBe("The grant is being decided again");
        (await WaitForGrantAsync(broker, grant, g => g["status"]!.GetValue<string>() == "revoked"))["redemptions"]!.GetValue<int>().ShouldBe(1);
        (await RedeemAsync(broker, grant)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_grant_decided_on_the_amended_terms_and_one_they_still_allow_release_at_once_while_the_revoker_is_held()
    {
        var (dataset, grant) = await RedeemedGrantAsync("Senate committee minutes");
        string? later = null;

        // The release takes the grant's decision again itself on the amended terms; it stands, so nothing waits.
        var released = await WhileTheRevokerIsHeldAsync(broker, grant, async () =>
        {
            (await AmendAsync(broker, dataset, """{"description": "Minutes of the standing committees, 2001-2024."}""")).StatusCode.ShouldBe(HttpStatusCode.OK);
            later = GrantTokens.Remember((await DecideAsync(broker, await RegisterSiteAsync(broker, Code(), "PL"), dataset, _ => { }))["grant"]!);
            using var released = await RedeemAsync(broker, later);
            released.StatusCode.ShouldBe(HttpStatusCode.Created, await released.Content.ReadAsStringAsync());
            return await RedeemAsync(broker, grant);
        });

        released.StatusCode.ShouldBe(HttpStatusCode.Created, await released.Content.ReadAsStringAsync());
        (await GrantAsync(broker, grant))["redemptions"]!.GetValue<int>().ShouldBe(2);
    }

    private static readonly string Active = "sha256:" + new string('a', 64);

    [Fact]
    public void A_release_waits_only_for_grants_whose_decision_read_terms_or_site_facts_amended_since_or_ran_under_another_bundle()
    {
        var grant = new Grant(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), 1, Guid.NewGuid(), "pllum-trainer",
            DateTimeOffset.UnixEpoch, [], ["PL"], GrantStatus.Active, null, 0, 0) { DatasetRevision = 2, SiteVersion = 1, BundleDigest = Active };
        var dataset = new DatasetView { State = null!, Revision = 2, TermsAmendedInRevision = 0 };
        var site = new ComputeSite(grant.SiteId, "pl-hpc", "HPC", "PL", "pl-cyfronet", [], [], null, DateTimeOffset.UnixEpoch) { Version = 1 };

        PendingRedecision.DecidedOnOlderFacts(grant, dataset, site, Active).ShouldBeFalse();
        PendingRedecision.DecidedOnOlderFacts(grant, dataset with { Revision = 3, TermsAmendedInRevision = 3 }, site, Active).ShouldBeTrue();
        PendingRedecision.DecidedOnOlderFacts(grant, dataset, site with { Version = 2, FactsWithdrawnInVersion = 2 }, Active).ShouldBeTrue();
        PendingRedecision.DecidedOnOlderFacts(grant with { DatasetRevision = 0, SiteVersion = 0 }, dataset with { TermsAmendedInRevision = 3 }, site, Active).ShouldBeFalse();
        PendingRedecision.DecidedOnOlderFacts(grant, null, null, Active).ShouldBeFalse();
        // Decided under a bundle another activation replaced, or before the bundle was kept: it waits too.
        PendingRedecision.DecidedOnOlderFacts(grant, dataset, site, "sha256:" + new string('b', 64)).ShouldBeTrue();
        PendingRedecision.DecidedOnOlderFacts(grant with { BundleDigest = null }, dataset, site, Active).ShouldBeTrue();
        PendingRedecision.DecidedOnOlderFacts(grant, dataset, site, null).ShouldBeFalse();
    }

    /// <summary>A grant decided on the dataset as registered, with one release recorded before anything changes.</summary>
    private async Task<(Guid Dataset, string Grant)> RedeemedGrantAsync(string title)
    {
        var site = await RegisterSiteAsync(broker, Code(), "PL");
        var dataset = await RegisterAsync(broker, Documented(title));
        var decided = await DecideAsync(broker, site, dataset, _ => { });
        decided["allowed"]!.GetValue<bool>().ShouldBeTrue(decided.ToJsonString());
        var grant = GrantTokens.Remember(decided["grant"]!);
        (await RedeemAsync(broker, grant)).StatusCode.ShouldBe(HttpStatusCode.Created);
        return (dataset, grant);
    }

    private static string Code() => $"pl-pend-{Guid.NewGuid():N}"[..20];
}
