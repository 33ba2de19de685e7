using Azure.Core;
using BalticAI.Sovereignty.Security;
using BalticAI.Sovereignty.Security.KeyVault;

namespace BalticAI.Sovereignty.Api.Infrastructure.Signing;

public static class KeyVaultSigningSetup
{
    /// <summary>
    /// Signing with an Azure Key Vault key. The credential and the pipeline options are services of their
    /// own so that a host (or a test with an in-process vault) can replace the identity or the transport.
    /// Internal because the options must have passed the start-up checks (StartupChecks, KeyVaultSettings), which hold
    /// the only copy of their rules.
    /// </summary>
    internal static IServiceCollection AddKeyVaultSigning(this IServiceCollection services, KeyVaultSigningOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<TokenCredential>(_ => KeyVaultCredentials.Create(options));
        services.AddSingleton(new KeyVaultPipelineOptions(options.Retry));
        services.AddSingleton(sp => new KeyVaultKeysClient(options.VaultUri!, sp.GetRequiredService<TokenCredential>(),
            sp.GetRequiredService<KeyVaultPipelineOptions>(), options.VerifyChallengeResource));
        services.AddSingleton<KeyVaultSigner>();
        services.AddSingleton<ISigner>(sp => sp.GetRequiredService<KeyVaultSigner>());
        services.AddSingleton<ISigningKeyRevocations>(sp => sp.GetRequiredService<KeyVaultSigner>());
        services.AddHostedService<KeyVaultStartupCheck>();
        return services;
    }
}
