using System.ComponentModel.DataAnnotations;
using BalticAI.Sovereignty.Security;

namespace BalticAI.Sovereignty.Api.Infrastructure.Identity;

public enum IdentityMode
{
    /// <summary>Tokens from Entra ID tenants on the allow-list (production).</summary>
    Entra,

    /// <summary>Tokens from the local ES256 development issuer, validated by the same pipeline.</summary>
    Development,
}

public sealed class IdentityOptions
{
    public const string SectionName = "Identity";

    public IdentityMode Mode { get; set; } = IdentityMode.Entra;

    /// <summary>Base64 HMAC key for actor pseudonyms; from environment or user secrets, never the ledger.</summary>
    public string? PseudonymKey { get; set; }

    /// <summary>Where development keeps its pseudonym key when none is configured.</summary>
    public string PseudonymKeyPath { get; set; } = ".data/pseudonym-key";

    [Required]
    public DevelopmentIssuerOptions DevelopmentIssuer { get; set; } = new();

    /// <summary>
    /// Countries that run an app registration of their own (`Identity:Countries:EE:{Instance,TenantId,ClientId,Audience}`),
    /// each validated by a scheme of its own; their tenants are refused by the multi-tenant registration.
    /// </summary>
    public Dictionary<string, CountryRegistrationOptions> Countries { get; set; } = [];
}

/// <summary>A country's own Entra ID app registration, in Microsoft.Identity.Web's terms.</summary>
public sealed class CountryRegistrationOptions
{
    public string Instance { get; set; } = "https://login.microsoftonline.com/";

    /// <summary>The registration's tenant (only that tenant's tokens), or `organizations` (every tenant of the country in the tenant map).</summary>
    public string? TenantId { get; set; }

    public string? ClientId { get; set; }

    public string? Audience { get; set; }
}

public sealed class DevelopmentIssuerOptions
{
    public string Issuer { get; set; } = BalticAI.Sovereignty.Security.DevelopmentIssuer.DefaultIssuer;
    public string KeyPath { get; set; } = BalticAI.Sovereignty.Security.DevelopmentIssuer.DefaultKeyPath;
}
