using Azure;
using Azure.Core;

namespace BalticAI.Sovereignty.Security.KeyVault;

/// <summary>
/// Azure.Core's retriable answers, less a 429 or 503 asking for a wait longer than
/// <see cref="KeyVaultPipelineOptions.LongestRetriedWait"/>. The pipeline would sit that wait out until the
/// signer's operation timeout cancelled it, and the vault's Retry-After would be lost; not retried, it becomes
/// the broker's own Retry-After at once.
/// </summary>
internal sealed class KeyVaultThrottleClassifier(TimeSpan longestRetriedWait) : ResponseClassifier
{
    public override bool IsRetriableResponse(HttpMessage message) =>
        base.IsRetriableResponse(message) && !(RetryAfter(message.Response) > longestRetriedWait);

    /// <summary>The wait a 429 or 503 asks for; null for other answers and when it names none.</summary>
    public static TimeSpan? RetryAfter(Response response) =>
        response.Status is 429 or 503 && response.Headers.TryGetValue("Retry-After", out var header)
            ? RetryAfterHint.From(header, response.Headers.Date, DateTimeOffset.UtcNow)
            : null;
}
