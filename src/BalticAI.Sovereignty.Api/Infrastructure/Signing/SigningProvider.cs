namespace BalticAI.Sovereignty.Api.Infrastructure.Signing;

/// <summary>
/// The signers `Signing:Provider` chooses between. StartupChecks accepts exactly these names (any case), so set-up
/// switches over <see cref="SigningOptions.Named"/> without a rule of its own.
/// </summary>
public enum SigningProvider
{
    /// <summary>ES256 key files in `Signing:KeyDirectory`.</summary>
    Local,

    /// <summary>A key in Azure Key Vault, `Signing:KeyVault:*`.</summary>
    KeyVault,
}
