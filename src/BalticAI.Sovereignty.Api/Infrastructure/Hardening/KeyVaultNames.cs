using BalticAI.Sovereignty.Security.KeyVault;

namespace BalticAI.Sovereignty.Api.Infrastructure.Hardening;

/// <summary>
/// What names a vault or Managed HSM and a key in it, the one rule for the broker's `Signing:KeyVault:*` settings and
/// for the CLI's `--vault` and `--key`; each failure starts with <c>name</c>, the setting or option the value came from.
/// The naming rules are Azure's own (Key Vault's "keys, secrets and certificates overview": a vault name and a Managed
/// HSM pool name are both 3-24 characters of letters, digits and single hyphens; Azure's resource naming rules for
/// Microsoft.KeyVault/vaults and Microsoft.KeyVault/managedHSMs: starting with a letter, ending with a letter or digit),
/// so a name is refused here rather than by the vault at the first request.
/// </summary>
public static class KeyVaultNames
{
    private const int LongestKeyName = 127;
    private const int ShortestVaultName = 3;
    private const int LongestVaultName = 24;

    private const string ExampleVaultUri = "https://balticai-pl.vault.azure.net/";

    /// <summary>Why <paramref name="value"/> is not a vault's base URI over https; null when it is one.</summary>
    public static string? VaultUriFailure(string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return $"{name} is missing; it names the vault by its URI, e.g. {ExampleVaultUri}";
        }
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri))
        {
            return $"{name} '{value}' is not an absolute URI; expected e.g. {ExampleVaultUri}";
        }
        if (uri.Scheme != Uri.UriSchemeHttps)
        {
            return $"{name} '{uri}' must be an https URI: Key Vault tokens and signatures never travel over plain HTTP";
        }
        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            return $"{name} '{uri}' must be the vault's base URI without a path, query or fragment (the key is named on its own)";
        }
        if (KeyVaultHosts.Named(uri.Host) is not { } named)
        {
            return null;
        }
        var (kind, vault) = named;
        var noun = kind == KeyVaultKind.ManagedHsm ? "Managed HSM" : "vault";
        return VaultNameFailure(vault, noun) is { } rule ? $"{name} '{uri}' names the {noun} '{vault}', but {rule}" : null;
    }

    /// <summary>Why <paramref name="value"/> is not a Key Vault key name; null when it is one.</summary>
    public static string? KeyNameFailure(string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return $"{name} is missing; it names the signing key, e.g. broker-signing";
        }
        if (!value.All(IsNameCharacter))
        {
            return $"{name} '{value}' is not a Key Vault key name; use letters, digits and '-'";
        }
        if (value.Length > LongestKeyName)
        {
            return $"{name} is {value.Length} characters long; a Key Vault key name is 1-{LongestKeyName} characters";
        }
        return null;
    }

    /// <summary>
    /// The first of Azure's naming rules that <paramref name="vault"/> breaks, a vault's and a Managed HSM's being the
    /// same; null when it keeps them all. <paramref name="noun"/> says which of the two it names.
    /// </summary>
    private static string? VaultNameFailure(string vault, string noun)
    {
        if (vault.Length is < ShortestVaultName or > LongestVaultName)
        {
            return $"a {noun} name is {ShortestVaultName}-{LongestVaultName} characters, not {vault.Length}";
        }
        if (!vault.All(IsNameCharacter))
        {
            return $"a {noun} name has only letters, digits and '-'";
        }
        if (!char.IsAsciiLetter(vault[0]))
        {
            return $"a {noun} name starts with a letter";
        }
        if (!char.IsAsciiLetterOrDigit(vault[^1]))
        {
            return $"a {noun} name ends with a letter or digit";
        }
        if (vault.Contains("--", StringComparison.Ordinal))
        {
            return $"a {noun} name has no consecutive hyphens";
        }
        return null;
    }

    private static bool IsNameCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c == '-';
}
