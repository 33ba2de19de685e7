using BalticAI.Sovereignty.Security;
using BalticAI.Sovereignty.Security.KeyVault;

namespace BalticAI.Sovereignty.Api.Infrastructure.Signing;

/// <summary>
/// Reads the signing key's versions at start-up. A vault that answers that the key does not exist or that
/// the broker may not use it is a configuration error and stops the broker with a message naming the
/// settings; a vault that cannot be reached now is an outage: the broker starts and answers 503 until it can.
/// </summary>
internal sealed class KeyVaultStartupCheck(KeyVaultSigner signer, KeyVaultSigningOptions options, ILogger<KeyVaultStartupCheck> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var versions = await signer.RefreshAsync(cancellationToken);
            logger.LogInformation("Signing with Key Vault key {Key}, version {Kid}", options.KeyName, versions.Active.KeyId);
        }
        catch (SigningUnavailableException e) when (e.InnerException is KeyVaultRequestException { IsMisconfiguration: true } refused)
        {
            throw new InvalidOperationException(
                $"Signing:KeyVault:KeyName '{options.KeyName}' at Signing:KeyVault:VaultUri '{options.VaultUri}' cannot be used: {refused.Message}", e);
        }
        catch (SigningUnavailableException e)
        {
            logger.LogError(e, "Key Vault {Vault} cannot be read at start-up; signing answers 503 until it can", options.VaultUri);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
