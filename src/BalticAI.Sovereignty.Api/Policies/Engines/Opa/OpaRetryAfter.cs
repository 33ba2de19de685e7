using System.Net;
using BalticAI.Sovereignty.Security;

namespace BalticAI.Sovereignty.Api.Policies.Engines.Opa;

/// <summary>
/// The one reading of a wait OPA (or the proxy in front of it) asks for, used by the client for the broker's 503 and by
/// the retry strategy for what it retries and how long it waits (<see cref="OpaResilienceOptions"/>).
/// </summary>
public static class OpaRetryAfter
{
    /// <summary>
    /// Retry-After of a 429 (RFC 6585) or a 503 (RFC 9110 §10.2.3), the statuses that give it a meaning for OPA's API
    /// (its other meaning, on a redirect, HttpClient acts on itself). On any other status, a 500 included, it is
    /// ignored: such an answer is retried as any transient failure. Null when there is none.
    /// </summary>
    public static TimeSpan? From(HttpResponseMessage? response) =>
        response is { StatusCode: HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable }
            ? RetryAfterHint.From(response.Headers.RetryAfter, response.Headers.Date, DateTimeOffset.UtcNow)
            : null;
}
