using BalticAI.Sovereignty.Security.KeyVault;

namespace BalticAI.Sovereignty.Api.Infrastructure.Hardening;

/// <summary>
/// The `Signing:KeyVault` settings that have rules, with the signer's defaults. The broker checks them only here,
/// at start, so a wrong one is listed with every other wrong key instead of stopping signing's set-up on its own.
/// </summary>
public sealed class KeyVaultSettings
{
    private static readonly KeyVaultSigningOptions Defaults = new();

    /// <summary>A string, not a <see cref="Uri"/>, so that a relative or malformed value is named with its own reason.</summary>
    public string? VaultUri { get; set; }

    public string KeyName { get; set; } = Defaults.KeyName;

    public string Credential { get; set; } = Defaults.Credential;

    public TimeSpan RefreshInterval { get; set; } = Defaults.RefreshInterval;

    public TimeSpan ActivationDelay { get; set; } = Defaults.ActivationDelay;

    public TimeSpan Retention { get; set; } = Defaults.Retention;

    public TimeSpan OperationTimeout { get; set; } = Defaults.OperationTimeout;

    public KeyVaultRetryOptions Retry { get; set; } = new();

    internal void Check(List<string> failures, string section)
    {
        if (VaultUriFailure($"{section}:VaultUri") is { } vaultUri)
        {
            failures.Add(vaultUri);
        }
        if (string.IsNullOrWhiteSpace(KeyName))
        {
            failures.Add($"{section}:KeyName is missing; {SigningSettings.SectionName}:Provider=KeyVault needs the name of the signing key, e.g. broker-signing");
        }
        else if (!KeyName.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            failures.Add($"{section}:KeyName '{KeyName}' is not a Key Vault key name; use letters, digits and '-'");
        }
        // Ordinal, as KeyVaultCredentials.Create matches it: any other spelling would silently mean Default.
        if (!KeyVaultCredentials.Names.Contains(Credential, StringComparer.Ordinal))
        {
            failures.Add($"{section}:Credential '{Credential}' is unknown; use {string.Join(", ", KeyVaultCredentials.Names)}");
        }
        SettingRange.Check(failures, $"{section}:RefreshInterval", RefreshInterval, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        SettingRange.Check(failures, $"{section}:ActivationDelay", ActivationDelay, TimeSpan.Zero, TimeSpan.FromDays(1));
        // Below a day a superseded version leaves the JWKS while grants it signed (24 h) must still verify.
        SettingRange.Check(failures, $"{section}:Retention", Retention, TimeSpan.FromDays(1), TimeSpan.FromDays(3650));
        var operationTimeoutValid = SettingRange.Check(
            failures, $"{section}:OperationTimeout", OperationTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
        // An operation timeout out of its range is no bound to hold LongestRetriedWait to: it is reported once, as itself.
        KeyVaultRetrySettings.Check(failures, section, Retry, operationTimeoutValid ? OperationTimeout : null);
    }

    private string? VaultUriFailure(string key)
    {
        if (string.IsNullOrWhiteSpace(VaultUri))
        {
            return $"{key} is missing; {SigningSettings.SectionName}:Provider=KeyVault needs the vault's URI, e.g. https://balticai-pl.vault.azure.net/";
        }
        if (!Uri.TryCreate(VaultUri, UriKind.Absolute, out var uri))
        {
            return $"{key} '{VaultUri}' is not an absolute URI; expected e.g. https://balticai-pl.vault.azure.net/";
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
