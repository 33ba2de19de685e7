using System.Net;
using System.Net.Http.Json;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BalticAI.Sovereignty.Api.Tests.Identity;

/// <summary>
/// The production identity path, offline: Microsoft.Identity.Web discovers metadata and keys from a
/// fake Entra ID on loopback and validates real RS256 tokens of the multi-tenant registration and of
/// Estonia's own registration.
/// </summary>
public sealed class EntraIdentityTests(EntraBrokerFactory broker) : IClassFixture<EntraBrokerFactory>
{
    private const string MultiTenant = EntraBrokerFactory.MultiTenantAudience;
    private const string Estonian = EntraBrokerFactory.EstonianAudience;

    [Fact]
    public async Task Token_of_an_allowed_tenant_is_accepted_and_mapped_to_its_organisation()
    {
        var me = await broker.ClientWith(new FakeToken(TestTenants.LtRegisters, MultiTenant, Roles.DataOwner)).GetFromJsonAsync<Me>("/me");

        me!.Organisation.ShouldBe("lt-rc");
        me.Country.ShouldBe("LT");
        me.Roles.ShouldBe([Roles.DataOwner]);
    }

    [Fact]
    public async Task Token_of_a_tenant_not_on_the_allow_list_is_401()
    {
        var response = await broker.ClientWith(new FakeToken(TestTenants.Unknown, MultiTenant, Roles.Auditor)).GetAsync("/me");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Issuer_of_another_tenant_than_the_tid_is_401()
    {
        var forged = new FakeToken(TestTenants.PlMinistry, MultiTenant, Roles.Auditor) { IssuerTenant = TestTenants.Unknown };

        var response = await broker.ClientWith(forged).GetAsync("/me");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("Entra-EE")]
    public void Each_scheme_validates_issuers_with_its_own_registrations_tenants(string scheme)
    {
        var jwt = broker.Services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(scheme);

        jwt.TokenValidationParameters.IssuerValidator.ShouldNotBeNull();
        jwt.TokenValidationParameters.IssuerValidator.Target.ShouldBeOfType<EntraRegistration>().Scheme.ShouldBe(scheme);
        jwt.Authority.ShouldStartWith(broker.Entra.Instance);
    }

    [Fact]
    public async Task Token_for_another_audience_is_401()
    {
        var response = await broker.ClientWith(new FakeToken(TestTenants.PlMinistry, "api://some-other-api", Roles.Auditor)).GetAsync("/me");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Expired_token_is_401()
    {
        var expired = new FakeToken(TestTenants.PlMinistry, MultiTenant, Roles.Auditor) { Lifetime = TimeSpan.FromMinutes(-10) };

        var response = await broker.ClientWith(expired).GetAsync("/me");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Token_of_the_estonian_registration_is_accepted_by_its_own_scheme()
    {
        var client = broker.ClientWith(new FakeToken(TestTenants.EeRia, Estonian, Roles.DataOwner));

        var me = await client.GetFromJsonAsync<Me>("/me");

        me!.Organisation.ShouldBe("ee-ria");
        me.Country.ShouldBe("EE");
        var registrations = broker.Services.GetRequiredService<EntraRegistrations>();
        registrations.SelectScheme(RequestWith(broker.Entra.Token(new FakeToken(TestTenants.EeRia, Estonian, Roles.DataOwner)))).ShouldBe("Entra-EE");
    }

    [Fact]
    public async Task Estonian_tenant_is_refused_by_the_multi_tenant_registration()
    {
        var response = await broker.ClientWith(new FakeToken(TestTenants.EeRia, MultiTenant, Roles.DataOwner)).GetAsync("/me");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Token_of_the_estonian_registration_claiming_a_polish_tenant_is_401()
    {
        var token = broker.Entra.Token(new FakeToken(TestTenants.PlMinistry, Estonian, Roles.DataOwner));

        var response = await broker.ClientWith(token).GetAsync("/me");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        broker.Services.GetRequiredService<EntraRegistrations>().SelectScheme(RequestWith(token)).ShouldBe("Entra-EE");
    }

    [Fact]
    public async Task Other_estonian_tenants_still_sign_in_through_the_multi_tenant_registration()
    {
        var me = await broker.ClientWith(new FakeToken(TestTenants.EeAki, MultiTenant, Roles.Regulator)).GetFromJsonAsync<Me>("/me");

        me!.Organisation.ShouldBe("ee-aki");
    }

    [Fact]
    public async Task Token_without_roles_is_401()
    {
        var response = await broker.ClientWith(new FakeToken(TestTenants.PlMinistry, MultiTenant)).GetAsync("/me");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.e30.x")]
    [InlineData("not-a-jwt")]
    public async Task Malformed_token_is_401_not_a_server_error(string token)
    {
        var response = await broker.ClientWith(token).GetAsync("/me");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    private static DefaultHttpContext RequestWith(string token)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Authorization = "Bearer " + token;
        return context;
    }

    private sealed record Me(string Organisation, string Country, List<string> Roles);
}
