namespace BalticAI.Sovereignty.Api.Infrastructure.Hardening;

/// <summary>
/// What names a vault and a key in it, the one rule for the broker's `Signing:KeyVault:*` settings and for the CLI's
/// `--vault` and `--key`; each failure starts with <c>name</c>, the setting or option the value came from.
/// </summary>
public static class KeyVaultNames
{
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
        return null;
    }

    /// <summary>Why <paramref name="value"/> is not a Key Vault key name; null when it is one.</summary>
    public static string? KeyNameFailure(string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return $"{name} is missing; it names the signing key, e.g. broker-signing";
        }
        if (!value.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            return $"{name} '{value}' is not a Key Vault key name; use letters, digits and '-'";
        }
        return null;
    }
}
