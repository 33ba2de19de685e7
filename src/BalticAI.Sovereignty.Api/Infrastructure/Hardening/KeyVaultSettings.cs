using BalticAI.Sovereignty.Security.KeyVault;

namespace BalticAI.Sovereignty.Api.Infrastructure.Hardening;

/// <summary>
/// The `Signing:KeyVault` settings, with the signer's defaults. The broker checks them only here, at start, so a wrong
/// one is listed with every other wrong key instead of stopping signing's set-up on its own; set-up then builds the
/// signer's <see cref="KeyVaultSigningOptions"/> from them (<see cref="ToSignerOptions"/>).
/// </summary>
public sealed class KeyVaultSettings
{
    private static readonly KeyVaultSigningOptions Defaults = new();

    /// <summary>A string, not a <see cref="Uri"/>, so that a relative or malformed value is named with its own reason.</summary>
    public string? VaultUri { get; set; }

    public string KeyName { get; set; } = Defaults.KeyName;

    public string Credential { get; set; } = Defaults.Credential;

    public string? ManagedIdentityClientId { get; set; } = Defaults.ManagedIdentityClientId;

    public TimeSpan RefreshInterval { get; set; } = Defaults.RefreshInterval;

    public TimeSpan ActivationDelay { get; set; } = Defaults.ActivationDelay;

    public TimeSpan Retention { get; set; } = Defaults.Retention;

    public TimeSpan OperationTimeout { get; set; } = Defaults.OperationTimeout;

    public KeyVaultRetryOptions Retry { get; set; } = new();

    public bool CreateIfMissing { get; set; } = Defaults.CreateIfMissing;

    public bool VerifyChallengeResource { get; set; } = Defaults.VerifyChallengeResource;

    /// <summary>The signer's options; only once <see cref="Check"/> found nothing wrong, which makes the URI absolute.</summary>
    internal KeyVaultSigningOptions ToSignerOptions() => new()
    {
        VaultUri = new Uri(VaultUri!, UriKind.Absolute),
        KeyName = KeyName,
        Credential = Credential,
        ManagedIdentityClientId = ManagedIdentityClientId,
        RefreshInterval = RefreshInterval,
        ActivationDelay = ActivationDelay,
        Retention = Retention,
        OperationTimeout = OperationTimeout,
        Retry = Retry,
        CreateIfMissing = CreateIfMissing,
        VerifyChallengeResource = VerifyChallengeResource,
    };

    internal void Check(List<string> failures, string section)
    {
        failures.AddRange(new[]
        {
            KeyVaultNames.VaultUriFailure(VaultUri, $"{section}:VaultUri"),
            KeyVaultNames.KeyNameFailure(KeyName, $"{section}:KeyName"),
        }.OfType<string>());
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
}
