using Azure.Core;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Security.KeyVault;
using BalticAI.Sovereignty.Testing.KeyVault;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace BalticAI.Sovereignty.Api.Tests.Keys;

/// <summary>A broker that signs with a key in an in-process Key Vault, reached over HTTPS through Azure.Core.</summary>
public class KeyVaultBrokerFactory : BrokerFactory
{
    public const string KeyName = "broker-signing";

    public KeyVaultBrokerFactory()
    {
        // The vault must listen before the broker's configuration names it.
        Vault = FakeKeyVault.StartAsync().GetAwaiter().GetResult();
    }

    public FakeKeyVault Vault { get; }

    public FakeTokenCredential Credential { get; } = new();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Signing:Provider"] = "KeyVault",
        ["Signing:KeyVault:VaultUri"] = Vault.VaultUri.ToString(),
        ["Signing:KeyVault:KeyName"] = KeyName,
        ["Signing:KeyVault:CreateIfMissing"] = "true",
        ["Signing:KeyVault:ActivationDelay"] = "00:00:00",
        ["Signing:KeyVault:VerifyChallengeResource"] = "false",
        // Short back-offs keep the failing-vault tests fast; the rest of Signing:KeyVault:Retry keeps its defaults.
        ["Signing:KeyVault:Retry:MaxRetries"] = "2",
        ["Signing:KeyVault:Retry:Delay"] = "00:00:00.010",
        ["Signing:KeyVault:Retry:MaxDelay"] = "00:00:00.050",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            // The configured retries, over a transport that reaches the in-process vault.
            services.AddSingleton(sp => new KeyVaultPipelineOptions(sp.GetRequiredService<KeyVaultSigningOptions>().Retry)
            {
                Transport = Vault.CreateTransport(),
            });
            services.AddSingleton<TokenCredential>(Credential);
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Vault.DisposeAsync();
    }
}
