using BalticAI.Sovereignty.Api.Infrastructure.Hardening;

namespace BalticAI.Sovereignty.Api.Infrastructure.Signing;

/// <summary>
/// The `Signing` section, bound once by the start-up checks (StartupChecks, SigningOptionsValidator) and handed
/// from them to <see cref="SigningSetup"/>, so that signing is composed only from values the checks passed.
/// </summary>
public sealed class SigningOptions
{
    public const string SectionName = "Signing";

    /// <summary>
    /// `Local` (embedded default: ES256 key files) or `KeyVault`, in any case. A string, not a
    /// <see cref="SigningProvider"/>, so that a wrong value is named with the ones to use.
    /// </summary>
    public string Provider { get; set; } = nameof(SigningProvider.Local);

    /// <summary>The local keys' directory, relative to the content root; checked writable at start when `Local` signs.</summary>
    public string KeyDirectory { get; set; } = ".data/keys";

    /// <summary>`Signing:KeyVault:*`, checked and used when the provider is `KeyVault`.</summary>
    public KeyVaultSettings KeyVault { get; set; } = new();

    /// <summary>
    /// How often the revocation list is checked for keys to record in the ledger; 1 s to 1 day
    /// (SigningOptionsValidator says why).
    /// </summary>
    public TimeSpan RevocationCheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The provider <see cref="Provider"/> names, in any case; null for anything else, numbers and lists included, which
    /// the configuration binder would otherwise turn into a provider too.
    /// </summary>
    internal SigningProvider? Named => Enum.GetValues<SigningProvider>()
        .Select(p => (SigningProvider?)p)
        .FirstOrDefault(p => string.Equals(p.ToString(), Provider, StringComparison.OrdinalIgnoreCase));
}
