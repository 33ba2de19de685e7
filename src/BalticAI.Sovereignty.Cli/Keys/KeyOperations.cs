using System.CommandLine;
using System.Globalization;
using Azure;
using Azure.Identity;
using BalticAI.Sovereignty.Security.KeyVault;

namespace BalticAI.Sovereignty.Cli.Keys;

internal static class KeyOperations
{
    /// <summary>Exit code of a revocation refused because it would leave the broker nothing to sign with.</summary>
    public const int WouldLeaveNoSigningKey = 2;

    public static Command ListCommand(Func<KeyVaultTarget, KeyVaultKeysClient> connect, Func<ParseResult, KeyVaultTarget> target)
    {
        var command = new Command("list", "List the key's versions: kid, enabled (not revoked), created, updated, not-before, expires");
        command.SetAction((parse, ct) => RunAsync(parse, async output =>
        {
            var key = target(parse);
            await foreach (var version in connect(key).ListVersionsAsync(key.KeyName, ct))
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{version.KeyId}\t{(version.Enabled ? "enabled" : "revoked")}\tcreated {version.Created:O}\tupdated {version.Updated:O}\tnbf {version.NotBefore?.ToString("O") ?? "-"}\texp {version.Expires?.ToString("O") ?? "-"}"));
            }
            return 0;
        }));
        return command;
    }

    public static Command RotateCommand(Func<KeyVaultTarget, KeyVaultKeysClient> connect, Func<ParseResult, KeyVaultTarget> target)
    {
        var command = new Command("rotate", "Create a new version of the key; brokers publish it at once and sign with it after Signing:KeyVault:ActivationDelay");
        command.SetAction((parse, ct) => RunAsync(parse, async output =>
        {
            var key = target(parse);
            var created = await connect(key).RotateKeyAsync(key.KeyName, ct);
            output.WriteLine(created.KeyId);
            output.WriteLine("Brokers publish it within Signing:KeyVault:RefreshInterval and sign with it once it is older than Signing:KeyVault:ActivationDelay.");
            return 0;
        }));
        return command;
    }

    public static Command RevokeCommand(Func<KeyVaultTarget, KeyVaultKeysClient> connect, Func<ParseResult, KeyVaultTarget> target)
    {
        var kid = new Argument<string>("kid") { Description = "The version to revoke, as the JWKS names it ({keyName}/{version}) or the bare version" };
        var force = new Option<bool>("--force") { Description = "Revoke even if no other usable version is left (the broker then cannot sign until a rotation)" };
        var command = new Command("revoke", "Revoke a compromised version: disable it, so it signs nothing more and brokers list it as revoked") { kid, force };
        command.SetAction((parse, ct) => RunAsync(parse, async output =>
        {
            var key = target(parse);
            var version = VersionOf(parse.GetValue(kid)!, key.KeyName);
            if (version is null)
            {
                parse.InvocationConfiguration.Error.WriteLine($"'{parse.GetValue(kid)}' is not a version of key {key.KeyName}; give {key.KeyName}/{{version}} or the version");
                return 1;
            }
            var client = connect(key);
            var versions = new List<KeyVaultKeyVersion>();
            await foreach (var listed in client.ListVersionsAsync(key.KeyName, ct))
            {
                versions.Add(listed);
            }
            var revoked = versions.FirstOrDefault(v => v.Version == version);
            if (revoked is null)
            {
                parse.InvocationConfiguration.Error.WriteLine($"key {key.KeyName} has no version {version} (balticai keys list shows them)");
                return 1;
            }
            if (!revoked.Enabled)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{revoked.KeyId} is already revoked (disabled, updated {revoked.Updated:O})"));
                return 0;
            }
            var now = DateTimeOffset.UtcNow;
            if (!parse.GetValue(force) && !versions.Any(v => v.Version != version && v.UsableAt(now)))
            {
                parse.InvocationConfiguration.Error.WriteLine(
                    $"{revoked.KeyId} is the only usable version: revoking it leaves the broker nothing to sign with. Run `balticai keys rotate` first (or pass --force).");
                return WouldLeaveNoSigningKey;
            }
            var disabled = await client.SetEnabledAsync(key.KeyName, version, enabled: false, ct);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"revoked {disabled.KeyId} at {disabled.Updated:O}"));
            output.WriteLine("Brokers drop it from /.well-known/jwks.json, list it in /.well-known/revoked-keys.json, record it in the ledger and sign the latest checkpoint again, within Signing:KeyVault:RefreshInterval.");
            return 0;
        }));
        return command;
    }

    private static string? VersionOf(string kid, string keyName)
    {
        var version = kid.StartsWith(keyName + "/", StringComparison.Ordinal) ? kid[(keyName.Length + 1)..] : kid;
        return version.Length > 0 && version.All(char.IsAsciiLetterOrDigit) ? version : null;
    }

    /// <summary>Key Vault's refusals and a missing Azure login are told plainly, with exit code 1.</summary>
    private static async Task<int> RunAsync(ParseResult parse, Func<TextWriter, Task<int>> operation)
    {
        try
        {
            return await operation(parse.InvocationConfiguration.Output);
        }
        catch (Exception e) when (e is KeyVaultRequestException or RequestFailedException or AuthenticationFailedException or CredentialUnavailableException)
        {
            parse.InvocationConfiguration.Error.WriteLine(e is KeyVaultRequestException { IsMisconfiguration: true }
                ? $"{e.Message} (rotating and revoking need the Key Vault Crypto Officer role on the key)"
                : e.Message);
            return 1;
        }
    }
}
