using System.Globalization;
using Azure;
using Azure.Core;

namespace BalticAI.Sovereignty.Security.KeyVault;

/// <summary>
/// Azure.Core's retriable answers, less one asking for a wait longer than <see cref="KeyVaultPipelineOptions.LongestRetriedWait"/>.
/// Azure.Core (1.64) sits out the wait of every answer it retries, whatever its status (DelayStrategy.GetNextDelay: the
/// larger of that wait and its own back-off, the back-off capped by MaxDelay and the wait not), so a 500 or 504 asking
/// for a minute would be waited on until the signer's operation timeout cancelled it and the vault's wait were lost;
/// not retried, it becomes the broker's own Retry-After at once.
/// </summary>
internal sealed class KeyVaultThrottleClassifier(TimeSpan longestRetriedWait) : ResponseClassifier
{
    public override bool IsRetriableResponse(HttpMessage message) =>
        IsRetriedStatus(message.Response.Status) && !(RetryAfter(message.Response) > longestRetriedWait);

    /// <summary>The statuses Azure.Core's ResponseClassifier retries (1.64): 408, 429, 500, 502, 503 and 504.</summary>
    public static bool IsRetriedStatus(int status) => status is 408 or 429 or 500 or 502 or 503 or 504;

    /// <summary>
    /// The wait an answer with a retried status (<see cref="IsRetriedStatus"/>) asks for; null for other answers, which
    /// Azure.Core never waits on, and when it names none. Read as Azure.Core (1.64, ResponseHeaders.RetryAfter) reads it
    /// before its retry policy waits, so that what is not retried, and the wait handed on, are what the pipeline would
    /// have sat out: the first of `retry-after-ms` and `x-ms-retry-after-ms` that is present, when it is a whole number;
    /// otherwise Retry-After, whole seconds or a date less this host's clock (not the answer's Date, which the pipeline
    /// ignores). Azure.Core waits the larger of this and its back-off, so a negative wait is none. Numbers and dates are
    /// read in the invariant culture, as every Azure service writes them, where Azure.Core reads them in the current one.
    /// </summary>
    public static TimeSpan? RetryAfter(Response response)
    {
        if (!IsRetriedStatus(response.Status))
        {
            return null;
        }
        var headers = response.Headers;
        // A malformed `retry-after-ms` hides `x-ms-retry-after-ms`: Azure.Core looks no further than the first present.
        if ((headers.TryGetValue("retry-after-ms", out var ms) || headers.TryGetValue("x-ms-retry-after-ms", out ms))
            && int.TryParse(ms, NumberStyles.Integer, CultureInfo.InvariantCulture, out var milliseconds))
        {
            return NoneIfNegative(TimeSpan.FromMilliseconds(milliseconds));
        }
        if (!headers.TryGetValue("Retry-After", out var retryAfter))
        {
            return null;
        }
        if (int.TryParse(retryAfter, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds))
        {
            return NoneIfNegative(TimeSpan.FromSeconds(seconds));
        }
        return DateTimeOffset.TryParse(retryAfter, CultureInfo.InvariantCulture, DateTimeStyles.None, out var until)
            ? NoneIfNegative(until - DateTimeOffset.UtcNow)
            : null;
    }

    private static TimeSpan NoneIfNegative(TimeSpan wait) => wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
}
