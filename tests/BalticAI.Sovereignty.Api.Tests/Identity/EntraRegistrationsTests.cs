using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BalticAI.Sovereignty.Api.Tests.Identity;

/// <summary>How tenants are shared out between registrations, and the configuration mistakes refused at start.</summary>
public sealed class EntraRegistrationsTests
{
    private static readonly TenantMap Tenants = new(new Dictionary<string, TenantEntry>
    {
        [TestTenants.PlMinistry] = new() { Organisation = "pl-mc", Name = "PL ministry", Country = "PL" },
        [TestTenants.EeRia] = new() { Organisation = "ee-ria", Name = "RIA", Country = "EE" },
        [TestTenants.EeAki] = new() { Organisation = "ee-aki", Name = "AKI", Country = "EE" },
        [TestTenants.LtRegisters] = new() { Organisation = "lt-rc", Name = "Registers", Country = "LT" },
    });

    [Fact]
    public void A_country_registering_organizations_owns_every_tenant_of_its_country()
    {
        var registrations = Build(("EE", "organizations", "ee-app"));

        registrations.Countries.Single().Tenants.Order().ShouldBe([TestTenants.EeRia, TestTenants.EeAki]);
        registrations.MultiTenant.Tenants.Order().ShouldBe([TestTenants.PlMinistry, TestTenants.LtRegisters]);
    }

    [Fact]
    public void A_country_registering_one_tenant_leaves_its_other_tenants_to_the_multi_tenant_registration()
    {
        var registrations = Build(("EE", TestTenants.EeRia, "ee-app"));

        registrations.Countries.Single().Tenants.ShouldBe([TestTenants.EeRia]);
        registrations.MultiTenant.Tenants.ShouldContain(TestTenants.EeAki);
        registrations.MultiTenant.Tenants.ShouldNotContain(TestTenants.EeRia);
    }

    [Fact]
    public void A_country_registration_in_another_countrys_tenant_is_refused_at_start()
    {
        var error = Should.Throw<InvalidOperationException>(() => Build(("EE", TestTenants.PlMinistry, "ee-app")));

        error.Message.ShouldContain("Identity:Countries:EE:TenantId");
    }

    [Fact]
    public void A_country_without_tenants_in_the_map_is_refused_at_start()
    {
        Should.Throw<InvalidOperationException>(() => Build(("LV", "organizations", "lv-app"))).Message.ShouldContain("country 'LV'");
    }

    [Fact]
    public void Registrations_sharing_an_audience_are_refused_at_start()
    {
        Should.Throw<InvalidOperationException>(() => Build(("EE", "organizations", "balticai-sovereignty"))).Message.ShouldContain("share an audience");
    }

    [Fact]
    public void The_issuer_must_be_the_tenants_own_issuer_of_the_registrations_instance()
    {
        var registration = Build().MultiTenant;
        var token = new JsonWebToken(new JsonWebTokenHandler().CreateToken($$"""{"tid":"{{TestTenants.PlMinistry}}"}"""));

        registration.ValidateIssuer($"https://login.microsoftonline.com/{TestTenants.PlMinistry}/v2.0", token, new TokenValidationParameters())
            .ShouldBe($"https://login.microsoftonline.com/{TestTenants.PlMinistry}/v2.0");
        Should.Throw<SecurityTokenInvalidIssuerException>(() => registration.ValidateIssuer($"https://login.microsoftonline.com/{TestTenants.LtRegisters}/v2.0", token, new TokenValidationParameters()));
        Should.Throw<SecurityTokenInvalidIssuerException>(() => registration.ValidateIssuer($"https://sts.windows.net/{TestTenants.PlMinistry}/", token, new TokenValidationParameters()));
    }

    private static EntraRegistrations Build(params (string Country, string TenantId, string ClientId)[] countries)
    {
        var settings = new Dictionary<string, string?>
        {
            ["AzureAd:Instance"] = "https://login.microsoftonline.com/",
            ["AzureAd:ClientId"] = "balticai-sovereignty",
            ["AzureAd:Audience"] = "api://balticai-sovereignty",
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var options = new IdentityOptions
        {
            Countries = countries.ToDictionary(c => c.Country, c => new CountryRegistrationOptions { TenantId = c.TenantId, ClientId = c.ClientId }),
        };
        return EntraRegistrations.From(configuration, options, Tenants);
    }
}
