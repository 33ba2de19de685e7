using System.Net;
using BalticAI.Sovereignty.Api.Decisions.Grants.Revoking;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.AmendedGrants;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Decisions.ShippedBundleApi;
using static BalticAI.Sovereignty.Api.Tests.Sites.SiteGrantsApi;

namespace BalticAI.Sovereignty.Api.Tests.Decisions;

/// <summary>
/// The grant revoker may read an amendment long after it was recorded (a backlog, a failover). A grant decided in
/// between, on the amended facts, is not decided again for it: judged on the facts as they stood at the amendment, its
/// site or dataset, registered after it, would be missing, and a grant the amended facts allow would be revoked.
/// </summary>
public sealed class LaggingRevokerTests(BrokerFactory broker) : IClassFixture<BrokerFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => WaitForShippedBundleAsync(broker);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_grant_decided_on_a_site_registered_after_a_terms_amendment_stands_when_the_revoker_reads_the_amendment_late()
    {
        var dataset = await RegisterAsync(broker, Documented("Sejm stenographic records"));

        var (site, grant) = await WhileTheRevokerIsStoppedAsync(broker, async () =>
        {
            (await AmendAsync(broker, dataset, """{"description": "Stenographic records of the Sejm, 1991-2024."}""")).StatusCode.ShouldBe(HttpStatusCode.OK);
            var newSite = await RegisterSiteAsync(broker, Code(), "PL");
            return (newSite, await AllowedGrantAsync(newSite, dataset));
        });
        await RevokerCaughtUpAsync(broker, site);

        (await GrantAsync(broker, grant))["status"]!.GetValue<string>().ShouldBe("active");
        using var released = await RedeemAsync(broker, grant);
        released.StatusCode.ShouldBe(HttpStatusCode.Created, await released.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_grant_decided_on_a_dataset_registered_after_a_site_amendment_stands_when_the_revoker_reads_the_amendment_late()
    {
        var site = await RegisterSiteAsync(broker, Code(), "PL", "secure-processing-environment", "iso-27001");

        var grant = await WhileTheRevokerIsStoppedAsync(broker, async () =>
        {
            // The site loses its secure processing environment, a fact withdrawn: grants decided on it are decided again.
            using var lapsed = await broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin)
                .SendAsync(HttpMethod.Patch, $"/sites/{site}", """{"accreditations": ["iso-27001"]}""", "\"1\"", "application/merge-patch+json");
            lapsed.StatusCode.ShouldBe(HttpStatusCode.OK, await lapsed.Content.ReadAsStringAsync());
            return await AllowedGrantAsync(site, await RegisterAsync(broker, Documented("Senate press releases")));
        });
        await RevokerCaughtUpAsync(broker, site);

        (await GrantAsync(broker, grant))["status"]!.GetValue<string>().ShouldBe("active");
        using var released = await RedeemAsync(broker, grant);
        released.StatusCode.ShouldBe(HttpStatusCode.Created, await released.Content.ReadAsStringAsync());
    }

    [Fact]
    public void Only_grants_decided_before_an_amendment_are_decided_again_for_it()
    {
        GrantRevoker.DecidedBeforeAmendment(revisionRead: 2, amendmentRevision: 3).ShouldBeTrue();
        GrantRevoker.DecidedBeforeAmendment(revisionRead: 3, amendmentRevision: 3).ShouldBeFalse();
        GrantRevoker.DecidedBeforeAmendment(revisionRead: 5, amendmentRevision: 3).ShouldBeFalse();
        // Recorded before the revision read was kept: decided again, as before.
        GrantRevoker.DecidedBeforeAmendment(revisionRead: 0, amendmentRevision: 3).ShouldBeTrue();
    }

    private async Task<string> AllowedGrantAsync(Guid site, Guid dataset)
    {
        var decided = await DecideAsync(broker, site, dataset, _ => { });
        decided["allowed"]!.GetValue<bool>().ShouldBeTrue(decided.ToJsonString());
        return GrantTokens.Remember(decided["grant"]!);
    }

    private static string Code() => $"pl-lag-{Guid.NewGuid():N}"[..20];
}
