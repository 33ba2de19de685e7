using System.Net.Http.Headers;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace BalticAI.Sovereignty.Api.Tests.Identity;

/// <summary>
/// A broker in Entra mode against a <see cref="FakeEntraId"/> of its own: the multi-tenant
/// registration for every tenant of the development tenant map, and Estonia's own registration in
/// the RIA tenant. Metadata comes over plain HTTP from loopback, which only tests allow.
/// </summary>
public sealed class EntraBrokerFactory : BrokerFactory
{
    public const string MultiTenantAudience = "api://balticai-sovereignty";
    public const string EstonianAudience = "api://ee-balticai-sovereignty";

    public EntraBrokerFactory()
    {
        Entra = FakeEntraId.StartAsync().GetAwaiter().GetResult();
    }

    public FakeEntraId Entra { get; }

    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var settings = base.Settings;
            settings["Identity:Mode"] = nameof(IdentityMode.Entra);
            settings["Identity:PseudonymKey"] = Convert.ToBase64String(new byte[32]);
            settings["AzureAd:Instance"] = Entra.Instance;
            settings["AzureAd:TenantId"] = "organizations";
            settings["AzureAd:ClientId"] = "balticai-sovereignty";
            settings["AzureAd:Audience"] = MultiTenantAudience;
            settings["Identity:Countries:EE:Instance"] = Entra.Instance;
            settings["Identity:Countries:EE:TenantId"] = TestTenants.EeRia;
            settings["Identity:Countries:EE:ClientId"] = "ee-balticai-sovereignty";
            settings["Identity:Countries:EE:Audience"] = EstonianAudience;
            return settings;
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            // Configure (not PostConfigure): JwtBearer's own post-configuration refuses http metadata.
            foreach (var scheme in new[] { JwtBearerDefaults.AuthenticationScheme, EntraRegistrations.CountryScheme("EE") })
            {
                services.Configure<JwtBearerOptions>(scheme, jwt => jwt.RequireHttpsMetadata = false);
            }
        });
    }

    public HttpClient ClientWith(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public HttpClient ClientWith(FakeToken token) => ClientWith(Entra.Token(token));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Entra.DisposeAsync();
    }
}
