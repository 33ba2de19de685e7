namespace BalticAI.Sovereignty.Api.Infrastructure.Hardening;

/// <summary>
/// What names a vault and a key in it, the one rule for the broker's `Signing:KeyVault:*` settings and for the CLI's
/// `--vault` and `--key`; each failure starts with <c>name</c>, the setting or option the value came from. The naming
/// rules are Azure's own (Key Vault's "objects, identifiers and versioning" and Azure's resource naming rules for
/// Microsoft.KeyVault/vaults), so a name is refused here rather than by the vault at the first request.
/// </summary>
public static class KeyVaultNames
{
    private const int LongestKeyName = 127;
    private const int ShortestVaultName = 3;
    private const int LongestVaultName = 24;

    private const string ExampleVaultUri = "https://balticai-pl.vault.azure.net/";

    /// <summary>
    /// The DNS zones in which Azure names a vault by its host's first label (public, China and US Government clouds).
    /// Another host, a fake vault on 127.0.0.1 or a proxy, has no vault name to check.
    /// </summary>
    private static readonly string[] VaultZones = [".vault.azure.net", ".vault.azure.cn", ".vault.usgovcloudapi.net"];

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
        var zone = VaultZones.FirstOrDefault(z => uri.Host.EndsWith(z, StringComparison.OrdinalIgnoreCase));
        if (zone is null)
        {
            return null;
        }
        var vault = uri.Host[..^zone.Length];
        return VaultNameFailure(vault) is { } rule ? $"{name} '{uri}' names the vault '{vault}', but {rule}" : null;
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

    /// <summary>The first of Azure's vault-name rules that <paramref name="vault"/> breaks; null when it keeps them all.</summary>
    private static string? VaultNameFailure(string vault)
    {
        if (vault.Length is < ShortestVaultName or > LongestVaultName)
        {
            return $"a vault name is {ShortestVaultName}-{LongestVaultName} characters, not {vault.Length}";
        }
        if (!vault.All(IsNameCharacter))
        {
            return "a vault name has only letters, digits and '-'";
        }
        if (!char.IsAsciiLetter(vault[0]))
        {
            return "a vault name starts with a letter";
        }
        if (!char.IsAsciiLetterOrDigit(vault[^1]))
        {
            return "a vault name ends with a letter or digit";
        }
        if (vault.Contains("--", StringComparison.Ordinal))
        {
            return "a vault name has no consecutive hyphens";
        }
        return null;
    }

    private static bool IsNameCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c == '-';
}
