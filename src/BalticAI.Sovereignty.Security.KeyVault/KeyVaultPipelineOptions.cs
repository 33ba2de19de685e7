using Azure.Core;

namespace BalticAI.Sovereignty.Security.KeyVault;

/// <summary>
/// Azure.Core pipeline settings for Key Vault: 429 (after the wait it asks for), 408 and 5xx and transport failures
/// are retried with exponential back-off before the signer gives up and the broker answers 503,
/// except a throttling that asks for a longer wait than <see cref="LongestRetriedWait"/>.
/// </summary>
public sealed class KeyVaultPipelineOptions : ClientOptions
{
    public KeyVaultPipelineOptions()
    {
        Retry.Mode = RetryMode.Exponential;
        Retry.MaxRetries = 3;
        Retry.Delay = TimeSpan.FromMilliseconds(400);
        Retry.MaxDelay = TimeSpan.FromSeconds(4);
        Retry.NetworkTimeout = TimeSpan.FromSeconds(5);
        Diagnostics.ApplicationId = "balticai-broker";
    }

    /// <summary>
    /// A 429 or 503 asking for a longer wait than this (its `retry-after-ms`, `x-ms-retry-after-ms` or Retry-After, in
    /// Azure.Core's order) is not retried (<see cref="KeyVaultThrottleClassifier"/>):
    /// as long as the longest back-off, so that only waits the retries could not have sat out anyway are handed on.
    /// </summary>
    public TimeSpan LongestRetriedWait { get; set; } = TimeSpan.FromSeconds(4);
}
