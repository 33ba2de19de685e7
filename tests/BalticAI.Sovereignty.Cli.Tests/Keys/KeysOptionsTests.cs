using System.CommandLine;
using BalticAI.Sovereignty.Cli.Keys;

namespace BalticAI.Sovereignty.Cli.Tests.Keys;

/// <summary>`balticai keys` refuses, before it reaches any vault, a vault or key the broker would refuse at start.</summary>
public sealed class KeysOptionsTests
{
    private const string Vault = "https://balticai-signing.vault.azure.net/";

    [Theory]
    [InlineData("http://balticai-signing.vault.azure.net/", "--vault 'http://balticai-signing.vault.azure.net/' must be an https URI")]
    [InlineData("https://balticai-signing.vault.azure.net/keys/broker-signing", "--vault 'https://balticai-signing.vault.azure.net/keys/broker-signing' must be the vault's base URI without a path")]
    [InlineData("balticai-signing.vault.azure.net", "--vault 'balticai-signing.vault.azure.net' is not an absolute URI")]
    public async Task A_vault_that_is_not_a_vaults_https_base_uri_is_refused_without_a_call(string vault, string expected)
    {
        var (exit, error, connected) = await RunAsync("keys", "list", "--vault", vault);

        exit.ShouldNotBe(0);
        error.ShouldContain(expected);
        connected.ShouldBeFalse();
    }

    [Theory]
    [InlineData("broker_signing", "--key 'broker_signing' is not a Key Vault key name; use letters, digits and '-'")]
    [InlineData("broker/signing", "--key 'broker/signing' is not a Key Vault key name")]
    [InlineData(" ", "--key is missing")]
    public async Task A_key_name_Key_Vault_would_not_take_is_refused_without_a_call(string key, string expected)
    {
        var (exit, error, connected) = await RunAsync("keys", "rotate", "--vault", Vault, "--key", key);

        exit.ShouldNotBe(0);
        error.ShouldContain(expected);
        connected.ShouldBeFalse();
    }

    [Theory]
    [InlineData("https://abc.vault.azure.net/", null)]
    [InlineData("https://balticai-signing-pl-prod.vault.azure.net/", null)]
    [InlineData("https://ab.vault.azure.net/", "--vault 'https://ab.vault.azure.net/' names the vault 'ab', but a vault name is 3-24 characters, not 2")]
    [InlineData("https://balticai-signing-pl-prod1.vault.azure.net/", "a vault name is 3-24 characters, not 25")]
    [InlineData("https://1balticai.vault.azure.net/", "a vault name starts with a letter")]
    [InlineData("https://baltic--ai.vault.azure.net/", "a vault name has no consecutive hyphens")]
    [InlineData("https://ab.managedhsm.azure.net/", "--vault 'https://ab.managedhsm.azure.net/' names the Managed HSM 'ab', but a Managed HSM name is 3-24 characters, not 2")]
    [InlineData("https://balticai-signing-pl-hsm01.managedhsm.azure.net/", "a Managed HSM name is 3-24 characters, not 25")]
    [InlineData("https://1balticai.managedhsm.azure.cn/", "a Managed HSM name starts with a letter")]
    [InlineData("https://balticai-.managedhsm.usgovcloudapi.net/", "a Managed HSM name ends with a letter or digit")]
    [InlineData("https://baltic--hsm.managedhsm.azure.net/", "a Managed HSM name has no consecutive hyphens")]
    public async Task A_vault_name_is_held_to_Azures_rules_before_any_call(string vault, string? expected)
    {
        var (_, error, connected) = await RunAsync("keys", "list", "--vault", vault);

        connected.ShouldBe(expected is null);
        if (expected is not null)
        {
            error.ShouldContain(expected);
        }
    }

    [Theory]
    [InlineData(127, null)]
    [InlineData(128, "--key is 128 characters long; a Key Vault key name is 1-127 characters")]
    public async Task A_key_name_is_held_to_Azures_127_characters_before_any_call(int length, string? expected)
    {
        var (_, error, connected) = await RunAsync("keys", "list", "--vault", Vault, "--key", new string('k', length));

        connected.ShouldBe(expected is null);
        if (expected is not null)
        {
            error.ShouldContain(expected);
        }
    }

    private static async Task<(int Exit, string Error, bool Connected)> RunAsync(params string[] args)
    {
        var connected = false;
        var root = new RootCommand
        {
            KeysCommand.Create(_ =>
            {
                connected = true;
                throw new InvalidOperationException("no vault may be reached");
            }),
        };
        var error = new StringWriter();
        var exit = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = new StringWriter(), Error = error });
        return (exit, error.ToString(), connected);
    }
}
