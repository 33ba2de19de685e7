using System.Reflection;
using BalticAI.Sovereignty.Api.Infrastructure.Signing;
using BalticAI.Sovereignty.Security.KeyVault;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace BalticAI.Sovereignty.Api.Tests.Keys;

/// <summary>
/// The `Signing` section is bound once, as checked settings, and the signer's options are built from them: every
/// `Signing:KeyVault:*` key must reach the signer as the binder would have bound it, a new one included.
/// </summary>
public sealed class SigningOptionsTests
{
    private static readonly Dictionary<string, string?> EveryKeyVaultKey = new()
    {
        ["Signing:KeyVault:VaultUri"] = "https://balticai-pl.vault.azure.net/",
        ["Signing:KeyVault:KeyName"] = "grant-signing",
        ["Signing:KeyVault:Credential"] = "ManagedIdentity",
        ["Signing:KeyVault:ManagedIdentityClientId"] = "6f1b2c3d-0000-4000-8000-000000000001",
        ["Signing:KeyVault:RefreshInterval"] = "00:07:00",
        ["Signing:KeyVault:ActivationDelay"] = "00:03:00",
        ["Signing:KeyVault:Retention"] = "30.00:00:00",
        ["Signing:KeyVault:OperationTimeout"] = "00:00:20",
        ["Signing:KeyVault:Retry:MaxRetries"] = "5",
        ["Signing:KeyVault:Retry:Delay"] = "00:00:01",
        ["Signing:KeyVault:Retry:MaxDelay"] = "00:00:08",
        ["Signing:KeyVault:Retry:NetworkTimeout"] = "00:00:09",
        ["Signing:KeyVault:Retry:LongestRetriedWait"] = "00:00:06",
        ["Signing:KeyVault:CreateIfMissing"] = "true",
        ["Signing:KeyVault:VerifyChallengeResource"] = "false",
    };

    [Fact]
    public void Every_key_vault_setting_reaches_the_signer_as_bound()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(EveryKeyVaultKey).Build();
        var bound = configuration.GetSection("Signing:KeyVault").Get<KeyVaultSigningOptions>()!;

        var built = configuration.GetSection(SigningOptions.SectionName).Get<SigningOptions>()!.KeyVault.ToSignerOptions();

        foreach (var (name, value, defaultValue) in Values(bound, new KeyVaultSigningOptions()))
        {
            // A setting this test does not set cannot show that it is carried over.
            value.ShouldNotBe(defaultValue, $"Signing:KeyVault:{name} is missing from this test");
        }
        Values(built, bound).ShouldAllBe(v => Equals(v.Value, v.Other));
    }

    [Fact]
    public void Signing_is_not_composed_from_a_section_the_start_up_checks_have_not_passed()
    {
        var builder = WebApplication.CreateBuilder();

        Should.Throw<InvalidOperationException>(() => builder.AddSovereigntySigning())
            .Message.ShouldContain("call AddSovereigntyHardening before the set-up that reads it");
    }

    /// <summary>Each property's value in <paramref name="options"/> and in <paramref name="other"/>, Retry's one by one.</summary>
    private static IEnumerable<(string Name, object? Value, object? Other)> Values(KeyVaultSigningOptions options, KeyVaultSigningOptions other) =>
        Properties(options, other, "").Concat(Properties(options.Retry, other.Retry, "Retry:"));

    private static IEnumerable<(string Name, object? Value, object? Other)> Properties<T>(T options, T other, string prefix) =>
        typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.PropertyType != typeof(KeyVaultRetryOptions))
            .Select(p => (prefix + p.Name, p.GetValue(options), p.GetValue(other)));
}
