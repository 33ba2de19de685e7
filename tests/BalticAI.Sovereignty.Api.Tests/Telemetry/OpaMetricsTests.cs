using System.Net;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Infrastructure.Telemetry;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Api.Tests.Policies;
using Microsoft.Extensions.DependencyInjection;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;

namespace BalticAI.Sovereignty.Api.Tests.Telemetry;

/// <summary>The OPA engine's path (a <see cref="FakeOpaServer"/>, stopped as in OpaEngineTests).</summary>
public sealed class OpaMetricsTests(OpaBrokerFactory broker) : IClassFixture<OpaBrokerFactory>, IAsyncLifetime
{
    private Guid _site;

    public async Task InitializeAsync()
    {
        await broker.WaitUntilActiveAsync();
        await ActivateAsync(broker, Bundle("telemetry-opa"));
        _site = await RegisterSiteAsync(broker, $"pl-tp-{Guid.NewGuid():N}"[..20], "PL");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_decision_by_OPA_is_tagged_opa_and_OPA_down_is_counted_as_policy_engine()
    {
        using var metrics = new MetricRecorder(broker.Services.GetRequiredService<BrokerTelemetry>().Meter);
        var job = await RegisterJobAsync(broker, _site, commercial: false);
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);

        (await AskAsync(job, dataset)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await broker.Opa.StopAsync();
        HttpResponseMessage refused;
        try
        {
            refused = await AskAsync(job, dataset);
        }
        finally
        {
            await broker.Opa.StartAsync();
        }

        refused.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        metrics.Of("balticai.decisions").Select(d => (d.Tag("outcome"), d.Tag("engine"), d.Value)).ShouldBe([("allow", "opa", 1d)]);
        metrics.Of("balticai.dependency.unavailable").Select(d => (d.Tag("dependency"), d.Value)).ShouldBe([("policy_engine", 1d)]);
    }

    private Task<HttpResponseMessage> AskAsync(Guid job, Guid dataset) =>
        broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem).PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)));
}
