using static BalticAI.Sovereignty.Api.Tests.Platform.StartupFailures;

namespace BalticAI.Sovereignty.Api.Tests.Keys;

/// <summary>Every `Signing:KeyVault:*` key is checked at start, before signing is set up, and named with the other wrong keys.</summary>
public sealed class KeyVaultStartupSettingsTests
{
    [Theory]
    [InlineData("http://balticai-pl.vault.azure.net/", "must be an https URI")]
    [InlineData("balticai-pl.vault.azure.net", "is not an absolute URI")]
    [InlineData("", "Signing:KeyVault:VaultUri is missing")]
    public void A_key_vault_uri_that_is_not_https_is_refused(string vaultUri, string expected)
    {
        var message = StartFailure("Production", With(KeyVault(("Signing:KeyVault:VaultUri", vaultUri))));

        message.ShouldContain("Signing:KeyVault:VaultUri");
        message.ShouldContain(expected);
        Failures(message).ShouldBe(1);
    }

    [Theory]
    [InlineData("https://abc.vault.azure.net/", null)]
    [InlineData("https://balticai-signing-pl-prod.vault.azure.net/", null)]
    [InlineData("https://ab.vault.azure.net/", "names the vault 'ab', but a vault name is 3-24 characters, not 2")]
    [InlineData("https://balticai-signing-pl-prod1.vault.azure.net/", "names the vault 'balticai-signing-pl-prod1', but a vault name is 3-24 characters, not 25")]
    [InlineData("https://1balticai.vault.azure.net/", "names the vault '1balticai', but a vault name starts with a letter")]
    [InlineData("https://balticai-.vault.azure.net/", "names the vault 'balticai-', but a vault name ends with a letter or digit")]
    [InlineData("https://baltic--ai.vault.azure.net/", "names the vault 'baltic--ai', but a vault name has no consecutive hyphens")]
    [InlineData("https://ab.vault.azure.cn/", "names the vault 'ab', but a vault name is 3-24 characters, not 2")]
    [InlineData("https://ab.managedhsm.azure.net/", "names the Managed HSM 'ab', but a Managed HSM name is 3-24 characters, not 2")]
    [InlineData("https://balticai-.managedhsm.azure.cn/", "names the Managed HSM 'balticai-', but a Managed HSM name ends with a letter or digit")]
    [InlineData("https://baltic--hsm.managedhsm.usgovcloudapi.net/", "names the Managed HSM 'baltic--hsm', but a Managed HSM name has no consecutive hyphens")]
    public void A_vault_name_is_held_to_Azures_rules(string vaultUri, string? expected)
    {
        var message = StartFailure("Production", With(KeyVault(("Signing:KeyVault:VaultUri", vaultUri), ("Api:RequestTimeout", "00:30:00"))));

        if (expected is null)
        {
            message.ShouldNotContain("Signing:KeyVault:VaultUri");
        }
        else
        {
            message.ShouldContain($"Signing:KeyVault:VaultUri '{vaultUri}' {expected}");
        }
        Failures(message).ShouldBe(expected is null ? 1 : 2);
    }

    [Theory]
    [InlineData(1, null)]
    [InlineData(127, null)]
    [InlineData(128, "Signing:KeyVault:KeyName is 128 characters long; a Key Vault key name is 1-127 characters")]
    public void A_key_name_is_held_to_Azures_127_characters(int length, string? expected)
    {
        var message = StartFailure("Production", With(KeyVault(("Signing:KeyVault:KeyName", new string('k', length)), ("Api:RequestTimeout", "00:30:00"))));

        if (expected is null)
        {
            message.ShouldNotContain("Signing:KeyVault:KeyName");
        }
        else
        {
            message.ShouldContain(expected);
        }
        Failures(message).ShouldBe(expected is null ? 1 : 2);
    }

    [Theory]
    [InlineData("MaxRetries", "11", "Signing:KeyVault:Retry:MaxRetries is 11; it must be between 0 and 10")]
    [InlineData("MaxRetries", "-1", "Signing:KeyVault:Retry:MaxRetries is -1")]
    [InlineData("MaxRetries", "many", "Signing:KeyVault:Retry:MaxRetries")]
    [InlineData("Delay", "00:00:00", "Signing:KeyVault:Retry:Delay is 00:00:00; it must be between")]
    [InlineData("Delay", "00:00:05", "Signing:KeyVault:Retry:Delay is 00:00:05; it must not be longer than Signing:KeyVault:Retry:MaxDelay (00:00:04)")]
    [InlineData("MaxDelay", "00:10:00", "Signing:KeyVault:Retry:MaxDelay is 00:10:00; it must be between")]
    [InlineData("NetworkTimeout", "00:00:00.5", "Signing:KeyVault:Retry:NetworkTimeout is 00:00:00.5000000; it must be between 00:00:01 and 00:05:00")]
    [InlineData("LongestRetriedWait", "-00:00:01", "Signing:KeyVault:Retry:LongestRetriedWait is -00:00:01; it must be between 00:00:00 and 00:05:00")]
    [InlineData("LongestRetriedWait", "00:00:10", "Signing:KeyVault:Retry:LongestRetriedWait is 00:00:10; it must be shorter than Signing:KeyVault:OperationTimeout (00:00:10)")]
    public void A_key_vault_retry_setting_out_of_range_is_refused_with_its_key(string setting, string value, string expected)
    {
        var message = StartFailure("Production", With(KeyVault(($"Signing:KeyVault:Retry:{setting}", value))));

        message.ShouldContain(expected);
        Failures(message).ShouldBe(1);
    }

    [Fact]
    public void Every_wrong_key_vault_setting_is_listed_in_one_failure()
    {
        var message = StartFailure("Production", With(KeyVault(
            ("Signing:KeyVault:VaultUri", "http://balticai-pl.vault.azure.net/"),
            ("Signing:KeyVault:Retry:MaxRetries", "11"),
            ("Signing:KeyVault:Retry:NetworkTimeout", "00:00:00"),
            ("Signing:KeyVault:Retry:LongestRetriedWait", "00:01:00"))));

        message.ShouldContain("Signing:KeyVault:VaultUri");
        message.ShouldContain("Signing:KeyVault:Retry:MaxRetries is 11");
        message.ShouldContain("Signing:KeyVault:Retry:NetworkTimeout is 00:00:00");
        message.ShouldContain("Signing:KeyVault:Retry:LongestRetriedWait is 00:01:00");
        Failures(message).ShouldBe(4);
    }

    [Theory]
    [InlineData("KeyName", "", "Signing:KeyVault:KeyName is missing")]
    [InlineData("KeyName", "broker_signing", "Signing:KeyVault:KeyName 'broker_signing' is not a Key Vault key name")]
    [InlineData("Credential", "ClientSecret", "Signing:KeyVault:Credential 'ClientSecret' is unknown; use Default, ManagedIdentity, WorkloadIdentity")]
    [InlineData("Credential", "managedidentity", "Signing:KeyVault:Credential 'managedidentity' is unknown")]
    [InlineData("RefreshInterval", "00:00:00", "Signing:KeyVault:RefreshInterval is 00:00:00; it must be between 00:00:01 and 1.00:00:00")]
    [InlineData("RefreshInterval", "often", "Signing:KeyVault:RefreshInterval")]
    [InlineData("ActivationDelay", "-00:10:00", "Signing:KeyVault:ActivationDelay is -00:10:00; it must be between 00:00:00 and 1.00:00:00")]
    [InlineData("Retention", "12:00:00", "Signing:KeyVault:Retention is 12:00:00; it must be between 1.00:00:00 and 3650.00:00:00")]
    [InlineData("OperationTimeout", "00:10:00", "Signing:KeyVault:OperationTimeout is 00:10:00; it must be between 00:00:01 and 00:05:00")]
    // Out of its own range it is reported once, not again as shorter than Retry:LongestRetriedWait (4 s).
    [InlineData("OperationTimeout", "00:00:00", "Signing:KeyVault:OperationTimeout is 00:00:00; it must be between 00:00:01 and 00:05:00")]
    [InlineData("OperationTimeout", "00:00:03", "Signing:KeyVault:Retry:LongestRetriedWait is 00:00:04; it must be shorter than Signing:KeyVault:OperationTimeout (00:00:03)")]
    public void A_key_vault_setting_the_signer_cannot_work_with_is_refused_with_its_key(string setting, string value, string expected)
    {
        var message = StartFailure("Production", With(KeyVault(($"Signing:KeyVault:{setting}", value))));

        message.ShouldContain(expected);
        Failures(message).ShouldBe(1);
    }

    [Fact]
    public void Every_wrong_key_vault_key_is_listed_with_the_other_wrong_keys_in_one_failure()
    {
        var message = StartFailure("Production", With(KeyVault(
            ("Signing:KeyVault:VaultUri", "https://balticai-pl.vault.azure.net/keys"),
            ("Signing:KeyVault:KeyName", "broker signing"),
            ("Signing:KeyVault:Credential", "ClientSecret"),
            ("Signing:KeyVault:RefreshInterval", "2.00:00:00"),
            ("Signing:KeyVault:ActivationDelay", "-00:00:01"),
            ("Signing:KeyVault:Retention", "00:00:00"),
            ("Signing:KeyVault:OperationTimeout", "00:00:00"),
            ("Signing:KeyVault:Retry:MaxRetries", "11"),
            ("Api:RequestTimeout", "00:30:00"))));

        message.ShouldContain("Signing:KeyVault:VaultUri 'https://balticai-pl.vault.azure.net/keys' must be the vault's base URI");
        message.ShouldContain("Signing:KeyVault:KeyName 'broker signing'");
        message.ShouldContain("Signing:KeyVault:Credential 'ClientSecret'");
        message.ShouldContain("Signing:KeyVault:RefreshInterval is 2.00:00:00");
        message.ShouldContain("Signing:KeyVault:ActivationDelay is -00:00:01");
        message.ShouldContain("Signing:KeyVault:Retention is 00:00:00");
        message.ShouldContain("Signing:KeyVault:OperationTimeout is 00:00:00");
        message.ShouldContain("Signing:KeyVault:Retry:MaxRetries is 11");
        message.ShouldContain("Api:RequestTimeout is 00:30:00");
        Failures(message).ShouldBe(9);
    }

    [Fact]
    public void Key_vault_signing_with_its_defaults_passes_the_start_up_checks()
    {
        var message = StartFailure("Production", With(KeyVault(("Api:RequestTimeout", "00:30:00"))));

        message.ShouldContain("Api:RequestTimeout is 00:30:00");
        Failures(message).ShouldBe(1);
    }

    /// <summary>Key Vault signing with a valid vault and key and every other setting at its default, then <paramref name="changes"/>.</summary>
    private static (string Key, string Value)[] KeyVault(params (string Key, string Value)[] changes) =>
        [("Signing:Provider", "KeyVault"), ("Signing:KeyVault:VaultUri", "https://balticai-pl.vault.azure.net/"), ("Signing:KeyVault:KeyName", "broker-signing"), .. changes];
}
