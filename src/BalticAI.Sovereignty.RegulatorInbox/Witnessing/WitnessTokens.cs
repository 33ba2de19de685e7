using Azure.Core;
using Azure.Identity;
using BalticAI.Sovereignty.Security;
using Microsoft.Extensions.Options;

namespace BalticAI.Sovereignty.RegulatorInbox.Witnessing;

/// <summary>The bearer token the witness presents when it hands a cosignature to the broker (Regulator role).</summary>
public sealed class WitnessTokens(IOptions<WitnessOptions> options, TimeProvider clock)
{
    private readonly Lazy<TokenCredential> _credential = new(() => new DefaultAzureCredential());

    public async ValueTask<string> GetAsync(CancellationToken ct)
    {
        var o = options.Value;
        if (!string.IsNullOrWhiteSpace(o.Scope))
        {
            return (await _credential.Value.GetTokenAsync(new TokenRequestContext([o.Scope]), ct)).Token;
        }
        var issuer = new DevelopmentIssuer(EcPrivateKeyFile.Read(o.DevelopmentIssuerKeyFile!), DevelopmentIssuer.DefaultIssuer, DevelopmentIssuer.DefaultAudience, clock);
        return issuer.MintToken(new TokenRequest(o.TenantId!, ["Regulator"]) { ClientApplication = o.Name, Lifetime = TimeSpan.FromMinutes(5) });
    }
}
