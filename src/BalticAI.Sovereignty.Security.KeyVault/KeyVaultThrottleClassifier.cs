using Azure;
using Azure.Core;

namespace BalticAI.Sovereignty.Security.KeyVault;

/// <summary>
/// Azure.Core's retriable answers, less a 429 or 503 asking for a wait longer than
/// <see cref="KeyVaultPipelineOptions.LongestRetriedWait"/>. The pipeline would sit that wait out until the
/// signer's operation timeout cancelled it, and the vault's wait would be lost; not retried, it becomes
/// the broker's own Retry-After at once.
/// </summary>
internal sealed class KeyVaultThrottleClassifier(TimeSpan longestRetriedWait) : ResponseClassifier
{
    public override bool IsRetriableResponse(HttpMessage message) =>
        base.IsRetriableResponse(message) && !(RetryAfter(message.Response) > longestRetriedWait);

    /// <summary>
    /// The wait a 429 or 503 asks for; null for other answers and when it names none. Azure services send it in
    /// milliseconds too (`retry-after-ms`, `x-ms-retry-after-ms`), and Azure.Core's retry waits that before Retry-After;
    /// read in the same order, what is not retried, and the wait handed on, are what the pipeline would have sat out.
    /// </summary>
    public static TimeSpan? RetryAfter(Response response)
    {
        if (response.Status is not (429 or 503))
        {
            return null;
        }
        var headers = response.Headers;
        return (headers.TryGetValue("retry-after-ms", out var ms) ? RetryAfterHint.FromMilliseconds(ms) : null)
            ?? (headers.TryGetValue("x-ms-retry-after-ms", out var xMs) ? RetryAfterHint.FromMilliseconds(xMs) : null)
            ?? (headers.TryGetValue("Retry-After", out var header) ? RetryAfterHint.From(header, headers.Date, DateTimeOffset.UtcNow) : null);
    }
}
