using System.Net;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;

namespace BalticAI.Sovereignty.Api.Tests.Telemetry;

/// <summary>A broker told where to export (`Telemetry:Otlp:*`), as an operator would with a collector.</summary>
public sealed class OtlpBrokerFactory(string endpoint) : BrokerFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Telemetry:Otlp:Endpoint"] = endpoint,
        ["Telemetry:Otlp:Protocol"] = "http/protobuf",
    };
}

public sealed class OtlpExportTests
{
    [Fact]
    public async Task Metrics_and_traces_of_a_decision_reach_an_OTLP_HTTP_receiver_as_protobuf()
    {
        await using var collector = await OtlpCollector.StartAsync();
        await using var broker = new OtlpBrokerFactory(collector.Endpoint);
        await ActivateAsync(broker, Bundle("telemetry-otlp"));
        var site = await RegisterSiteAsync(broker, $"pl-to-{Guid.NewGuid():N}"[..20], "PL");
        var job = await RegisterJobAsync(broker, site, commercial: false);
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);

        var response = await broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem)
            .PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)));
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        broker.Services.GetRequiredService<MeterProvider>().ForceFlush(10_000).ShouldBeTrue();
        broker.Services.GetRequiredService<TracerProvider>().ForceFlush(10_000).ShouldBeTrue();

        var metrics = collector.Requests.Where(r => r.Signal == "metrics").ToList();
        metrics.ShouldNotBeEmpty();
        metrics.ShouldAllBe(r => r.ContentType == "application/x-protobuf");
        metrics.ShouldContain(r => r.Contains("balticai.decisions") && r.Contains("balticai.decision.duration"));
        metrics.ShouldContain(r => r.Contains("balticai-sovereignty") && r.Contains(Environment.MachineName));
        var traces = collector.Requests.Where(r => r.Signal == "traces").ToList();
        traces.ShouldAllBe(r => r.ContentType == "application/x-protobuf");
        traces.ShouldContain(r => r.Contains("balticai.decide") && r.Contains("balticai.policy.evaluate"));
    }
}
