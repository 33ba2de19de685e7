using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BalticAI.Sovereignty.Api.Infrastructure.Identity;

/// <summary>
/// One Entra ID app registration the broker trusts, validated by a JwtBearer scheme of its own: the
/// multi-tenant registration, or a country's own. It accepts only the tenants it owns, and each of
/// them only with the issuer Entra ID gives that tenant.
/// </summary>
public sealed record EntraRegistration(string Scheme, string? Country, string Instance, IReadOnlySet<string> Tenants, IReadOnlySet<string> Audiences)
{
    public const string TenantClaim = "tid";

    /// <summary>The v2.0 issuer of a tenant (`https://login.microsoftonline.com/{tid}/v2.0` in the public cloud).</summary>
    public string IssuerFor(string tenantId) => $"{Instance.TrimEnd('/')}/{tenantId}/v2.0";

    /// <summary>
    /// Replaces Identity.Web's issuer validator, which accepts any tenant's issuer: here the tenant must
    /// be one of this registration's and the issuer must be exactly that tenant's, so a token cannot
    /// pair one tenant's issuer with another tenant's `tid`.
    /// </summary>
    public string ValidateIssuer(string issuer, SecurityToken token, TokenValidationParameters parameters)
    {
        var tenantId = token is JsonWebToken jwt && jwt.TryGetPayloadValue<string>(TenantClaim, out var tid) ? tid : null;
        if (tenantId is null || !Tenants.Contains(tenantId))
        {
            throw new SecurityTokenInvalidIssuerException($"The token's tenant '{tenantId}' is not accepted by the {Scheme} registration.") { InvalidIssuer = issuer };
        }
        if (!string.Equals(issuer, IssuerFor(tenantId), StringComparison.OrdinalIgnoreCase))
        {
            throw new SecurityTokenInvalidIssuerException($"The issuer is not tenant {tenantId}'s issuer of the {Scheme} registration.") { InvalidIssuer = issuer };
        }
        return issuer;
    }

    /// <summary>Whether an unvalidated token names this registration as its audience.</summary>
    public bool IsAudienceOf(JsonWebToken token) => token.Audiences.Any(Audiences.Contains);
}
