using System.CommandLine;
using System.CommandLine.Parsing;
using Azure.Core;
using BalticAI.Sovereignty.Api.Infrastructure.Hardening;
using BalticAI.Sovereignty.Security.KeyVault;

namespace BalticAI.Sovereignty.Cli.Keys;

/// <summary>The vault and key a `balticai keys` command works on, and the identity it signs in with.</summary>
public sealed record KeyVaultTarget(Uri VaultUri, string KeyName, string Credential);

/// <summary>
/// `balticai keys list|rotate|revoke`: the broker's signing key in Azure Key Vault, for the operators
/// who rotate and revoke it ("Key Vault Crypto Officer"); the broker itself can do neither.
/// </summary>
public static class KeysCommand
{
    /// <param name="connect">How to reach the vault; tests hand in a client for an in-process vault.</param>
    public static Command Create(Func<KeyVaultTarget, KeyVaultKeysClient>? connect = null)
    {
        connect ??= Connect;
        var vault = new Option<string>("--vault") { Description = "The vault, https://{vault}.vault.azure.net/, or Managed HSM, https://{hsm}.managedhsm.azure.net/", Required = true };
        vault.Validators.Add(result => Refuse(result, KeyVaultNames.VaultUriFailure(result.GetValueOrDefault<string>(), "--vault")));
        var key = new Option<string>("--key") { Description = "The key's name", DefaultValueFactory = _ => "broker-signing" };
        key.Validators.Add(result => Refuse(result, KeyVaultNames.KeyNameFailure(result.GetValueOrDefault<string>(), "--key")));
        var credential = new Option<string>("--credential") { Description = "Default (your Azure login), ManagedIdentity or WorkloadIdentity", DefaultValueFactory = _ => "Default" };
        credential.AcceptOnlyFromAmong([.. KeyVaultCredentials.Names]);

        KeyVaultTarget Target(ParseResult parse) => new(new Uri(parse.GetValue(vault)!), parse.GetValue(key)!, parse.GetValue(credential)!);

        var command = new Command("keys", "List, rotate and revoke the broker's signing key versions in Azure Key Vault")
        {
            KeyOperations.ListCommand(connect, Target),
            KeyOperations.RotateCommand(connect, Target),
            KeyOperations.RevokeCommand(connect, Target),
        };
        foreach (var option in new Option[] { vault, key, credential })
        {
            option.Recursive = true;
            command.Options.Add(option);
        }
        return command;
    }

    /// <summary>The broker's start-up rules for the vault and the key, so the CLI never reaches a vault the broker would refuse.</summary>
    private static void Refuse(OptionResult result, string? failure)
    {
        if (failure is not null)
        {
            result.AddError(failure);
        }
    }

    private static KeyVaultKeysClient Connect(KeyVaultTarget target)
    {
        var options = new KeyVaultSigningOptions { VaultUri = target.VaultUri, KeyName = target.KeyName, Credential = target.Credential };
        TokenCredential identity = KeyVaultCredentials.Create(options);
        return new KeyVaultKeysClient(target.VaultUri, identity, new KeyVaultPipelineOptions());
    }
}
