using System.Net;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace BalticAI.Sovereignty.Api.Tests.Platform;

/// <summary>
/// A one-second request budget and a request that never finishes by itself: a handler placed after
/// the broker's pipeline answers what no endpoint matches, and waits on the request's cancellation.
/// </summary>
public sealed class HangingRequestBroker : BrokerFactory
{
    public const string HangingPath = "/test-only/hangs";

    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var settings = base.Settings;
            settings["Api:RequestTimeout"] = "00:00:01";
            return settings;
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, HangingEndpoint>());
    }

    private sealed class HangingEndpoint : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Map(HangingPath, hang => hang.Run(context => Task.Delay(Timeout.Infinite, context.RequestAborted)));
        };
    }
}

public sealed class RequestTimeoutTests(HangingRequestBroker broker) : IClassFixture<HangingRequestBroker>
{
    [Fact]
    public async Task A_request_past_its_time_is_cancelled_and_answered_503_with_Retry_After()
    {
        var response = await broker.ClientFor(TestTenants.PlMinistry, Roles.Auditor).GetAsync(HangingRequestBroker.HangingPath);

        var problem = await ProblemAndOpenApiTests.ShouldBeProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        problem["detail"]!.GetValue<string>().ShouldContain("did not complete within 1 s");
        response.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(5));
    }
}
