using System.Net;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Net.Http.Headers;

namespace BalticAI.Sovereignty.Api.Tests.Platform;

/// <summary>The production transport rules, turned on explicitly (Development leaves them off).</summary>
public sealed class HttpsEnforcingBroker : BrokerFactory
{
    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var settings = base.Settings;
            settings["Https:Enforce"] = "true";
            settings["Https:HttpsPort"] = "443";
            return settings;
        }
    }

    public HttpClient ClientAt(string baseAddress) =>
        CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri(baseAddress), AllowAutoRedirect = false });
}

public sealed class TransportSecurityTests(HttpsEnforcingBroker broker) : IClassFixture<HttpsEnforcingBroker>
{
    [Fact]
    public async Task Plain_http_is_redirected_to_https()
    {
        var response = await broker.ClientAt("http://broker.balticai.example").GetAsync("/me");

        response.StatusCode.ShouldBe(HttpStatusCode.TemporaryRedirect);
        response.Headers.Location.ShouldBe(new Uri("https://broker.balticai.example/me"));
    }

    [Fact]
    public async Task Https_answers_carry_hsts()
    {
        var client = broker.ClientAt("https://broker.balticai.example");
        client.DefaultRequestHeaders.Authorization = new("Bearer", broker.Token(TestTenants.PlMinistry, Roles.Auditor));

        var response = await client.GetAsync("/me");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.GetValues(HeaderNames.StrictTransportSecurity).Single().ShouldBe("max-age=31536000; includeSubDomains");
    }

    [Fact]
    public async Task Health_probes_over_plain_http_are_answered_not_redirected()
    {
        var response = await broker.ClientAt("http://10.0.0.7:8080").GetAsync("/health/live");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
