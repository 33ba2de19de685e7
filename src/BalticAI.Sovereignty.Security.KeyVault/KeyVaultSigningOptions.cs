namespace BalticAI.Sovereignty.Security.KeyVault;

/// <summary>Settings of <c>Signing:KeyVault</c>; the broker checks them at start-up, with the rest of its configuration.</summary>
public sealed class KeyVaultSigningOptions
{
    /// <summary>The vault, e.g. <c>https://balticai-signing.vault.azure.net/</c>.</summary>
    public Uri? VaultUri { get; set; }

    /// <summary>The EC P-256 key whose enabled versions sign; each version is one signing key.</summary>
    public string KeyName { get; set; } = "";

    /// <summary><c>Default</c> (DefaultAzureCredential), <c>ManagedIdentity</c> or <c>WorkloadIdentity</c>.</summary>
    public string Credential { get; set; } = "Default";

    /// <summary>Client id of a user-assigned managed identity; empty for the system-assigned one.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>How often the list of key versions is read again (new versions, disabled ones).</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A new version signs only once it has been published this long, so that every node's JWKS and
    /// every verifier's cache of it (max-age 300 s) know the key before the first signature by it.
    /// </summary>
    public TimeSpan ActivationDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a superseded version stays published after its successor took over signing.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Longest wait for one Key Vault operation, retries included.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary><c>Signing:KeyVault:Retry:*</c>, the retries inside one operation (checked at start-up by the broker).</summary>
    public KeyVaultRetryOptions Retry { get; set; } = new();

    /// <summary>Create the key when the vault has none of that name (development; production creates it beforehand).</summary>
    public bool CreateIfMissing { get; set; }

    /// <summary>
    /// Refuse a 401 challenge whose resource is not the vault's own domain, so a token is never sent for
    /// another service (as the Azure SDK does). Off only for a test vault on 127.0.0.1.
    /// </summary>
    public bool VerifyChallengeResource { get; set; } = true;
}
