using System.Net.Http.Headers;
using BalticAI.Sovereignty.Security;

namespace BalticAI.Sovereignty.LoadTests;

/// <summary>Development tokens for the tenants of appsettings.Development.json, signed with the broker's issuer key.</summary>
public sealed class Tenants(DevelopmentIssuer issuer)
{
    public const string PlMinistry = "5d1c6c1e-0a8f-4a36-9a5e-000000000101";
    public const string PlCyfronet = "5d1c6c1e-0a8f-4a36-9a5e-000000000104";
    public const string EuAiOffice = "5d1c6c1e-0a8f-4a36-9a5e-000000000501";

    /// <summary>The broker creates the key on its first start; read it only once the broker is up.</summary>
    public static Tenants ForRepository(string repo)
    {
        var key = EcPrivateKeyFile.LoadOrCreate(Path.Combine(repo, DevelopmentIssuer.DefaultKeyPath), TimeProvider.System);
        return new Tenants(new DevelopmentIssuer(key, DevelopmentIssuer.DefaultIssuer, DevelopmentIssuer.DefaultAudience, TimeProvider.System));
    }

    public AuthenticationHeaderValue Bearer(string tenant, string role, string? application = null) =>
        new("Bearer", issuer.MintToken(new TokenRequest(tenant, [role]) { Lifetime = TimeSpan.FromHours(1), ClientApplication = application }));
}
