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
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            var pipeline = new KeyVaultPipelineOptions { Transport = Vault.CreateTransport() };
            pipeline.Retry.MaxRetries = 2;
            pipeline.Retry.Delay = TimeSpan.FromMilliseconds(10);
            pipeline.Retry.MaxDelay = TimeSpan.FromMilliseconds(50);
            services.AddSingleton(pipeline);
            services.AddSingleton<TokenCredential>(Credential);
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Vault.DisposeAsync();
    }
}
