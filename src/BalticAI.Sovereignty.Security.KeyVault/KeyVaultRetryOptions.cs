namespace BalticAI.Sovereignty.Security.KeyVault;

/// <summary>
/// Settings of <c>Signing:KeyVault:Retry</c>: Azure.Core's exponential retry of one Key Vault request. Every try,
/// back-off and retried wait together still end at <see cref="KeyVaultSigningOptions.OperationTimeout"/>, which
/// cancels the operation whatever is left of its retries.
/// </summary>
public sealed class KeyVaultRetryOptions
{
    /// <summary>Tries after the first for a 408, 429, 5xx or transport failure.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>First back-off, doubled (with jitter) before each further retry.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromMilliseconds(400);

    /// <summary>Longest back-off the doubling reaches.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>Longest wait for one try's answer.</summary>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// An answer asking for a longer wait than this (any status the pipeline retries) is not retried but handed on as the broker's Retry-After
    /// (<see cref="KeyVaultPipelineOptions.LongestRetriedWait"/>).
    /// </summary>
    public TimeSpan LongestRetriedWait { get; set; } = TimeSpan.FromSeconds(4);
}
