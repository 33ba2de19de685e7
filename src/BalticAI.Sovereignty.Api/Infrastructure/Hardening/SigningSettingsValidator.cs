using Microsoft.Extensions.Options;

namespace BalticAI.Sovereignty.Api.Infrastructure.Hardening;

/// <summary>The shape of the `Signing` section, checked before the signer is built from it.</summary>
public sealed class SigningSettings
{
    public const string SectionName = "Signing";

    public string Provider { get; set; } = "Local";

    public KeyVaultSettings KeyVault { get; set; } = new();
}

public sealed class KeyVaultSettings
{
    public string? VaultUri { get; set; }
}

internal sealed class SigningSettingsValidator : IValidateOptions<SigningSettings>
{
    public ValidateOptionsResult Validate(string? name, SigningSettings options)
    {
        var section = SigningSettings.SectionName;
        if (string.Equals(options.Provider, "Local", StringComparison.OrdinalIgnoreCase))
        {
            return ValidateOptionsResult.Success;
        }
        if (!string.Equals(options.Provider, "KeyVault", StringComparison.OrdinalIgnoreCase))
        {
            return ValidateOptionsResult.Fail($"{section}:Provider '{options.Provider}' is unknown; use Local or KeyVault");
        }
        var key = $"{section}:KeyVault:VaultUri";
        if (string.IsNullOrWhiteSpace(options.KeyVault.VaultUri))
        {
            return ValidateOptionsResult.Fail($"{key} is missing; {section}:Provider=KeyVault needs the vault's URI, e.g. https://balticai-pl.vault.azure.net/");
        }
        if (!Uri.TryCreate(options.KeyVault.VaultUri, UriKind.Absolute, out var uri))
        {
            return ValidateOptionsResult.Fail($"{key} '{options.KeyVault.VaultUri}' is not an absolute URI; expected e.g. https://balticai-pl.vault.azure.net/");
        }
        if (uri.Scheme != Uri.UriSchemeHttps)
        {
            return ValidateOptionsResult.Fail($"{key} '{uri}' must be an https URI: Key Vault tokens and signatures never travel over plain HTTP");
        }
        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            return ValidateOptionsResult.Fail($"{key} '{uri}' must be the vault's base URI without a path, query or fragment (keys are named in Signing:KeyVault:*)");
        }
        return ValidateOptionsResult.Success;
    }
}
