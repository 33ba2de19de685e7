using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;

namespace BalticAI.Sovereignty.Api.Tests.Platform;

/// <summary>
/// A one-second request budget and a document that takes longer than that to generate, as a cold first request did on a
/// loaded host; the test's own document transformer counts the generations.
/// </summary>
public sealed class SlowOpenApiBroker : BrokerFactory
{
    private int generations;

    public int Generations => Volatile.Read(ref generations);

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
        builder.ConfigureServices(services => services.Configure<OpenApiOptions>("v1", options => options.AddDocumentTransformer(async (_, _, _) =>
        {
            Interlocked.Increment(ref generations);
            // Deliberately deaf to the request's cancellation, as the framework's own generation is once it writes.
            await Task.Delay(TimeSpan.FromSeconds(1.5), CancellationToken.None);
        })));
    }
}

public sealed class OpenApiDocumentCacheTests(SlowOpenApiBroker broker) : IClassFixture<SlowOpenApiBroker>
{
    [Fact]
    public async Task The_document_is_generated_once_whole_and_names_no_requesters_host()
    {
        var anonymous = broker.CreateClient();
        var withToken = broker.ClientFor(TestTenants.PlMinistry, Roles.Auditor);
        var otherHost = new HttpRequestMessage(HttpMethod.Get, "/openapi/v1.json");
        otherHost.Headers.Host = "attacker.example";

        var first = await anonymous.GetAsync("/openapi/v1.json");
        var firstBody = await first.Content.ReadAsStringAsync();
        var second = await withToken.GetAsync("/openapi/v1.json");
        var third = await anonymous.SendAsync(otherHost);
        var fourth = await anonymous.GetAsync("/openapi/v1.json?fresh=" + Guid.NewGuid());

        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        var document = JsonNode.Parse(firstBody)!;
        document["paths"]!.AsObject().Count.ShouldBeGreaterThan(40);
        document["servers"].ShouldBeNull();
        second.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await second.Content.ReadAsStringAsync()).ShouldBe(firstBody);
        third.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await third.Content.ReadAsStringAsync()).ShouldNotContain("attacker.example");
        fourth.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await fourth.Content.ReadAsStringAsync()).ShouldBe(firstBody);
        broker.Generations.ShouldBe(1);
    }
}
