using Azure.Core;

namespace BalticAI.Sovereignty.Security.KeyVault;

/// <summary>
/// Azure.Core pipeline settings for Key Vault: 408, 429, 500, 502, 503, 504 and transport failures are retried with
/// exponential back-off, or after the wait the answer asks for when that is longer, before the signer gives up and the
/// broker answers 503; an answer asking for a longer wait than <see cref="LongestRetriedWait"/> is not retried.
/// </summary>
public sealed class KeyVaultPipelineOptions : ClientOptions
{
    /// <summary>The defaults of <see cref="KeyVaultRetryOptions"/> (the CLI, which has no configuration).</summary>
    public KeyVaultPipelineOptions()
        : this(new KeyVaultRetryOptions())
    {
    }

    public KeyVaultPipelineOptions(KeyVaultRetryOptions retry)
    {
        Retry.Mode = RetryMode.Exponential;
        Retry.MaxRetries = retry.MaxRetries;
        Retry.Delay = retry.Delay;
        Retry.MaxDelay = retry.MaxDelay;
        Retry.NetworkTimeout = retry.NetworkTimeout;
        LongestRetriedWait = retry.LongestRetriedWait;
        Diagnostics.ApplicationId = "balticai-broker";
    }

    /// <summary>
    /// An answer of any retried status asking for a longer wait than this (its `retry-after-ms`, `x-ms-retry-after-ms` or
    /// Retry-After, in Azure.Core's order) is not retried (<see cref="KeyVaultThrottleClassifier"/>): by default as long
    /// as the longest back-off, so that only waits the retries could not have sat out anyway are handed on.
    /// </summary>
    public TimeSpan LongestRetriedWait { get; set; }
}
