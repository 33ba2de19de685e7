using System.Net;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Infrastructure.Telemetry;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Api.Tests.Platform;
using Microsoft.Extensions.DependencyInjection;

namespace BalticAI.Sovereignty.Api.Tests.Telemetry;

public sealed class TimeoutMetricsTests(HangingRequestBroker broker) : IClassFixture<HangingRequestBroker>
{
    [Fact]
    public async Task A_request_answered_503_for_its_timeout_is_counted_as_request_timeout()
    {
        using var metrics = new MetricRecorder(broker.Services.GetRequiredService<BrokerTelemetry>().Meter);

        var response = await broker.ClientFor(TestTenants.PlMinistry, Roles.Auditor).GetAsync(HangingRequestBroker.HangingPath);

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        metrics.Of("balticai.dependency.unavailable").Select(d => (d.Tag("dependency"), d.Value)).ShouldBe([("request_timeout", 1d)]);
    }
}
