using System.Net;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Infrastructure.Telemetry;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Decisions;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;

namespace BalticAI.Sovereignty.Api.Tests.Telemetry;

/// <summary>A key store that cannot sign (as in FailClosedTests): the 503 is counted, the decision is not.</summary>
public sealed class DependencyMetricsTests(UnsignableBrokerFactory broker) : IClassFixture<UnsignableBrokerFactory>
{
    [Fact]
    public async Task A_503_for_the_key_store_is_counted_as_key_store_and_records_no_decision()
    {
        await ActivateAsync(broker, Bundle("telemetry-unsignable"));
        var site = await RegisterSiteAsync(broker, $"pl-tu-{Guid.NewGuid():N}"[..20], "PL");
        var job = await RegisterJobAsync(broker, site, commercial: false);
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);
        using var metrics = new MetricRecorder(broker.Services.GetRequiredService<BrokerTelemetry>().Meter);

        var response = await broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem)
            .PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)));

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        metrics.Of("balticai.dependency.unavailable").Select(d => (d.Tag("dependency"), d.Value)).ShouldBe([("key_store", 1d)]);
        metrics.Of("balticai.decisions").ShouldBeEmpty();
        metrics.Of("balticai.decision.duration").ShouldBeEmpty();
        // The policy had answered before the key store failed: its evaluation is timed all the same.
        metrics.Of("balticai.policy.evaluation.duration").Count.ShouldBe(1);
    }
}
