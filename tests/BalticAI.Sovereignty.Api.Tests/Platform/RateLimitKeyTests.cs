using System.Net;
using System.Security.Claims;
using BalticAI.Sovereignty.Api.Infrastructure.Hardening;
using Microsoft.AspNetCore.Http;

namespace BalticAI.Sovereignty.Api.Tests.Platform;

public sealed class RateLimitKeyTests
{
    private const string Tenant = "5D1C6C1E-0A8F-4A36-9A5E-000000000104";

    [Theory]
    [InlineData("GET", "reads")]
    [InlineData("HEAD", "reads")]
    [InlineData("POST", "writes")]
    [InlineData("PATCH", "writes")]
    [InlineData("DELETE", "writes")]
    public void An_authenticated_caller_is_its_tenant_and_client_application_per_budget(string method, string budget)
    {
        var key = CallerRateLimits.KeyOf(Request(method, Caller(("tid", Tenant), ("azp", "cyfronet-batch"))));

        key.ShouldBe(new RateLimitKey(budget, "5d1c6c1e-0a8f-4a36-9a5e-000000000104/cyfronet-batch"));
    }

    [Fact]
    public void A_v1_token_names_its_application_in_appid()
    {
        var key = CallerRateLimits.KeyOf(Request("GET", Caller(("tid", Tenant), ("appid", "legacy-client"))));

        key.Holder.ShouldEndWith("/legacy-client");
    }

    [Theory]
    [InlineData("2001:db8:1:2::10", "2001:db8:1:2::20", true)]
    [InlineData("2001:db8:1:2::10", "2001:db8:1:3::10", false)]
    [InlineData("192.0.2.7", "::ffff:192.0.2.7", true)]
    [InlineData("192.0.2.7", "192.0.2.8", false)]
    public void Anonymous_callers_are_their_ipv4_address_or_ipv6_64(string first, string second, bool shared)
    {
        var a = CallerRateLimits.KeyOf(Request("GET", new ClaimsPrincipal(new ClaimsIdentity()), IPAddress.Parse(first)));
        var b = CallerRateLimits.KeyOf(Request("GET", new ClaimsPrincipal(new ClaimsIdentity()), IPAddress.Parse(second)));

        a.Budget.ShouldBe("anonymous");
        (a == b).ShouldBe(shared);
    }

    private static ClaimsPrincipal Caller(params (string Type, string Value)[] claims) =>
        new(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)), "Bearer"));

    private static HttpContext Request(string method, ClaimsPrincipal user, IPAddress? address = null)
    {
        var context = new DefaultHttpContext { User = user };
        context.Request.Method = method;
        context.Connection.RemoteIpAddress = address;
        return context;
    }
}
