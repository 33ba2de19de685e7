using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Security;

namespace BalticAI.Sovereignty.Api.Tests.Platform;

public sealed class AuthenticationTests(BrokerFactory broker) : IClassFixture<BrokerFactory>
{
    [Fact]
    public async Task No_token_is_401_with_a_problem_document()
    {
        var response = await broker.CreateClient().GetAsync("/me");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        response.Headers.WwwAuthenticate.ToString().ShouldStartWith("Bearer");
    }

    [Fact]
    public async Task Token_without_roles_is_401()
    {
        var response = await broker.ClientFor(TestTenants.PlMinistry).GetAsync("/me");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Token_of_a_tenant_not_on_the_allow_list_is_401()
    {
        var response = await broker.ClientFor(TestTenants.Unknown, Roles.Auditor).GetAsync("/me");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Expired_token_is_401()
    {
        var client = broker.CreateClient();
        var token = broker.Token(new TokenRequest(TestTenants.PlMinistry, [Roles.DataOwner]) { Lifetime = TimeSpan.FromMinutes(-10) });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var response = await client.GetAsync("/me");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Token_signed_by_another_key_is_401()
    {
        var stranger = new DevelopmentIssuer(EcPrivateKeyFile.Generate(TimeProvider.System), DevelopmentIssuer.DefaultIssuer, DevelopmentIssuer.DefaultAudience, TimeProvider.System);
        var client = broker.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", stranger.MintToken(new TokenRequest(TestTenants.PlMinistry, [Roles.DataOwner])));

        var response = await client.GetAsync("/me");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Role_that_may_not_use_the_route_is_403()
    {
        var response = await broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner).GetAsync("/tenants");

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Theory]
    [InlineData(Roles.PolicyAdmin)]
    [InlineData(Roles.Auditor)]
    [InlineData(Roles.Regulator)]
    public async Task Permitted_roles_read_the_tenant_map(string role)
    {
        var tenants = await broker.ClientFor(TestTenants.EuAiOffice, role).GetFromJsonAsync<List<TenantRow>>("/tenants");

        tenants!.Select(t => t.Country).Distinct().Order().ShouldBe(["EE", "EU", "LT", "LV", "PL"]);
    }

    [Fact]
    public async Task Organisation_and_country_come_from_the_tenant_map_and_the_user_is_pseudonymous()
    {
        var client = broker.CreateClient();
        var userId = Guid.NewGuid().ToString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            broker.Token(new TokenRequest(TestTenants.LtRegisters, [Roles.DataOwner]) { ObjectId = userId, ClientApplication = "lt-catalogue" }));

        var me = await client.GetFromJsonAsync<Me>("/me");
        var again = await client.GetFromJsonAsync<Me>("/me");

        me!.Organisation.ShouldBe("lt-rc");
        me.Country.ShouldBe("LT");
        me.Application.ShouldBe("lt-catalogue");
        me.Pseudonym.ShouldStartWith("ps:");
        me.Pseudonym.ShouldNotContain(userId);
        again!.Pseudonym.ShouldBe(me.Pseudonym);
        me.Roles.ShouldBe([Roles.DataOwner]);
    }

    private sealed record TenantRow(string TenantId, string Organisation, string Name, string Country);

    private sealed record Me(string Organisation, string Country, string Application, string Pseudonym, List<string> Roles);
}
