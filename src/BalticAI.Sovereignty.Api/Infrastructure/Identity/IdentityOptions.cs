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
}

public sealed class DevelopmentIssuerOptions
{
    public string Issuer { get; set; } = BalticAI.Sovereignty.Security.DevelopmentIssuer.DefaultIssuer;
    public string KeyPath { get; set; } = BalticAI.Sovereignty.Security.DevelopmentIssuer.DefaultKeyPath;
}
