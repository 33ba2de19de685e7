using BalticAI.Sovereignty.Security.KeyVault;
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

    /// <summary>Read only to bound <see cref="KeyVaultRetryOptions.LongestRetriedWait"/>; its own range is checked by the signer's options.</summary>
    public TimeSpan OperationTimeout { get; set; } = new KeyVaultSigningOptions().OperationTimeout;

    public KeyVaultRetryOptions Retry { get; set; } = new();
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
        var failures = new List<string>();
        if (VaultUriFailure($"{section}:KeyVault:VaultUri", options.KeyVault.VaultUri) is { } failure)
        {
            failures.Add(failure);
        }
        KeyVaultRetrySettings.Check(failures, $"{section}:KeyVault", options.KeyVault);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string? VaultUriFailure(string key, string? vaultUri)
    {
        if (string.IsNullOrWhiteSpace(vaultUri))
        {
            return $"{key} is missing; {SigningSettings.SectionName}:Provider=KeyVault needs the vault's URI, e.g. https://balticai-pl.vault.azure.net/";
        }
        if (!Uri.TryCreate(vaultUri, UriKind.Absolute, out var uri))
        {
            return $"{key} '{vaultUri}' is not an absolute URI; expected e.g. https://balticai-pl.vault.azure.net/";
        }
        if (uri.Scheme != Uri.UriSchemeHttps)
        {
            return $"{key} '{uri}' must be an https URI: Key Vault tokens and signatures never travel over plain HTTP";
        }
        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            return $"{key} '{uri}' must be the vault's base URI without a path, query or fragment (keys are named in Signing:KeyVault:*)";
        }
        return null;
    }
}
