using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Infrastructure.Telemetry;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;

namespace BalticAI.Sovereignty.Api.Tests.Telemetry;

/// <summary>The decision path's instruments on a real broker (embedded engine, real PostgreSQL).</summary>
public sealed class DecisionMetricsTests(BrokerFactory broker) : IClassFixture<BrokerFactory>, IAsyncLifetime
{
    private Guid _site;

    public async Task InitializeAsync()
    {
        await ActivateAsync(broker, Bundle("telemetry-1"));
        _site = await RegisterSiteAsync(broker, $"pl-tm-{Guid.NewGuid():N}"[..20], "PL");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private MetricRecorder Record() => new(broker.Services.GetRequiredService<BrokerTelemetry>().Meter);

    [Fact]
    public async Task An_allowed_and_a_denied_decision_are_counted_by_outcome_and_engine_and_timed()
    {
        using var metrics = Record();
        var research = await RegisterJobAsync(broker, _site, commercial: false);
        var commercial = await RegisterJobAsync(broker, _site, commercial: true);
        var open = await RegisterDatasetAsync(broker, researchOnly: false);
        var researchOnly = await RegisterDatasetAsync(broker, researchOnly: true);

        (await AllowedAsync(research, open)).ShouldBeTrue();
        (await AllowedAsync(commercial, researchOnly)).ShouldBeFalse();

        var decisions = metrics.Of("balticai.decisions");
        decisions.Select(d => (d.Tag("outcome"), d.Tag("engine"), d.Value)).OrderBy(d => d.Item1)
            .ShouldBe([("allow", "embedded", 1d), ("deny", "embedded", 1d)]);
        decisions.ShouldAllBe(d => d.Tags.Count == 2);
        var durations = metrics.Of("balticai.decision.duration");
        durations.Count.ShouldBe(2);
        durations.ShouldAllBe(d => d.Value > 0 && d.Tag("engine") == "embedded");
        var evaluations = metrics.Of("balticai.policy.evaluation.duration");
        evaluations.Count.ShouldBe(2);
        evaluations.ShouldAllBe(e => e.Value > 0 && e.Tag("engine") == "embedded" && e.Tag("purpose") == "decision" && e.Tag("error.type") == null);
        // Each request committed alone here: one decision per transaction.
        metrics.Of("balticai.group_commit.batch.size").Select(b => b.Value).ShouldBe([1d, 1d]);
    }

    [Fact]
    public async Task A_dry_run_is_timed_as_one_evaluation_for_its_purpose_and_counts_no_decision()
    {
        using var metrics = Record();

        var response = await broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin)
            .PostJsonAsync("/policies/evaluate", new JsonObject { ["input"] = new JsonObject() });

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var evaluation = metrics.Of("balticai.policy.evaluation.duration").ShouldHaveSingleItem();
        evaluation.Tags.Keys.Order(StringComparer.Ordinal).ShouldBe(["engine", "purpose"]);
        evaluation.Tag("engine").ShouldBe("embedded");
        evaluation.Tag("purpose").ShouldBe("dry_run");
        metrics.Of("balticai.decisions").ShouldBeEmpty();
    }

    [Fact]
    public async Task A_request_refused_before_deciding_counts_no_decision()
    {
        using var metrics = Record();
        var job = await RegisterJobAsync(broker, _site, commercial: false);

        var response = await broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem)
            .PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((Guid.NewGuid(), 1)));

        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        metrics.Of("balticai.decisions").ShouldBeEmpty();
        metrics.Of("balticai.decision.duration").ShouldBeEmpty();
    }

    [Fact]
    public async Task A_closed_jobs_request_is_counted_as_refusals_by_the_kind_of_reason_and_as_no_decision()
    {
        using var metrics = Record();
        var job = await RegisterJobAsync(broker, _site, commercial: false);
        var client = broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem);
        (await client.PostJsonAsync($"/training-jobs/{job}/closure", new JsonObject { ["outcome"] = "completed" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var response = await client.PostJsonAsync($"/training-jobs/{job}/access-requests",
            Ask((await RegisterDatasetAsync(broker, researchOnly: false), 1), (await RegisterDatasetAsync(broker, researchOnly: false), 1)));

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var refusals = metrics.Of("balticai.access.refusals");
        refusals.Select(r => (r.Tag("reason"), r.Value)).ShouldBe([("job-closed", 1d), ("job-closed", 1d)]);
        refusals.ShouldAllBe(r => r.Tags.Count == 1);
        metrics.Of("balticai.decisions").ShouldBeEmpty();
        metrics.Of("balticai.group_commit.batch.size").ShouldBeEmpty();
    }

    [Fact]
    public async Task The_lag_gauge_reports_each_ledger_subscription_and_reaches_zero_once_it_caught_up()
    {
        using var metrics = Record();
        var job = await RegisterJobAsync(broker, _site, commercial: false);
        (await AllowedAsync(job, await RegisterDatasetAsync(broker, researchOnly: false))).ShouldBeTrue();

        // Refreshed in the background at most every 5 s: the first reading starts the first query.
        await MetricRecorder.UntilAsync(() => metrics.Latest("balticai.ledger.subscription.lag", "subscription", "ledger_event_index:All") == 0,
            "the event index's lag reading 0", seconds: 60);
        var subscriptions = metrics.Of("balticai.ledger.subscription.lag").Select(l => l.Tag("subscription")).Distinct().ToList();
        subscriptions.ShouldContain("ledger_tree:All");
        subscriptions.ShouldNotContain(s => s!.StartsWith("HighWater", StringComparison.Ordinal));
    }

    private async Task<bool> AllowedAsync(Guid job, Guid dataset)
    {
        var response = await broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem)
            .PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)));
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await DatasetApi.ReadJsonAsync(response))["decisions"]![0]!["allowed"]!.GetValue<bool>();
    }
}
