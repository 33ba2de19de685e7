using System.Net;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Infrastructure.Telemetry;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Decisions;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Decisions.ShippedBundleApi;
using static BalticAI.Sovereignty.Api.Tests.Sites.SiteGrantsApi;

namespace BalticAI.Sovereignty.Api.Tests.Telemetry;

/// <summary>
/// Evaluations that are no decision (a replay, a site's re-decision) are timed under their own purpose and count no
/// decision, so `purpose="decision"` stays the decision path's latency. Shipped bundle, real PostgreSQL.
/// </summary>
public sealed class EvaluationPurposeMetricsTests(BrokerFactory broker) : IClassFixture<BrokerFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => WaitForShippedBundleAsync(broker);

    public Task DisposeAsync() => Task.CompletedTask;

    private MetricRecorder Record() => new(broker.Services.GetRequiredService<BrokerTelemetry>().Meter);

    [Fact]
    public async Task A_replay_is_timed_as_one_replay_evaluation_and_counts_no_decision()
    {
        var site = await RegisterSiteAsync(broker, Code(), "PL");
        var decision = await DecideAsync(broker, site, await RegisterAsync(broker, Documented("Public transcripts")), _ => { });
        using var metrics = Record();

        var response = await broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor).PostAsync($"/decisions/{decision["decisionId"]!.GetValue<string>()}/replay", null);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var evaluations = metrics.Of("balticai.policy.evaluation.duration");
        var replay = evaluations.Where(e => e.Tag("purpose") == "replay").ShouldHaveSingleItem();
        replay.Tag("engine").ShouldBe("embedded");
        replay.Tag("error.type").ShouldBeNull();
        evaluations.ShouldNotContain(e => e.Tag("purpose") == "decision");
        metrics.Of("balticai.decisions").ShouldBeEmpty();
        metrics.Of("balticai.decision.duration").ShouldBeEmpty();
    }

    [Fact]
    public async Task A_site_amendment_times_the_re_decision_of_its_grant_as_a_site_redecision_and_counts_no_decision()
    {
        var site = await RegisterSiteAsync(broker, Code(), "PL", "secure-processing-environment", "iso-27001");
        var decision = await DecideAsync(broker, site, await RegisterAsync(broker, HealthTerms()), job => job["purpose"] = "health-research");
        decision["allowed"]!.GetValue<bool>().ShouldBeTrue(decision.ToJsonString());
        var grantId = GrantTokens.Remember(decision["grant"]!);
        using var metrics = Record();

        var amended = await broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin)
            .SendAsync(HttpMethod.Patch, $"/sites/{site}", """{"accreditations": ["iso-27001"]}""", "\"1\"", "application/merge-patch+json");

        amended.StatusCode.ShouldBe(HttpStatusCode.OK, await amended.Content.ReadAsStringAsync());
        // The revocation follows the re-decision, so once it shows the evaluation has been recorded.
        (await WaitForGrantAsync(broker, grantId, g => g["status"]!.GetValue<string>() == "revoked"))["status"]!.GetValue<string>().ShouldBe("revoked");
        var evaluations = metrics.Of("balticai.policy.evaluation.duration");
        // One or two: when the grant's issue and the amendment reach the revoker in one page (a loaded host), it re-decides
        // the grant for the amendment and again as a grant issued on the site's older version (GrantRevoker's late check).
        var redecisions = evaluations.Where(e => e.Tag("purpose") == "site_redecision").ToList();
        redecisions.Count.ShouldBeInRange(1, 2);
        redecisions.ShouldAllBe(e => e.Tag("engine") == "embedded" && e.Tag("error.type") == null);
        evaluations.ShouldNotContain(e => e.Tag("purpose") == "decision");
        metrics.Of("balticai.decisions").ShouldBeEmpty();
    }

    private static string Code() => $"pl-purp-{Guid.NewGuid():N}"[..20];
}
