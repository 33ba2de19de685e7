using System.Net.Http.Headers;

namespace BalticAI.Sovereignty.Security;

/// <summary>
/// The wait an upstream's Retry-After header (RFC 9110 §10.2.3) asks for: seconds, or an HTTP-date. Key Vault's
/// answers are read as Azure.Core reads them instead (KeyVaultThrottleClassifier), since its pipeline waits them.
/// </summary>
public static class RetryAfterHint
{
    /// <summary>
    /// The header's seconds, or its date less the answer's own Date header: both are the upstream's clock, so
    /// a skew between its clock and this host's does not change the wait. Without a Date, <paramref name="now"/>.
    /// Null when there is no header or it cannot be read. The value is not bounded here: callers cap it.
    /// </summary>
    public static TimeSpan? From(RetryConditionHeaderValue? header, DateTimeOffset? answeredAt, DateTimeOffset now) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - (answeredAt ?? now),
        _ => null,
    };

    /// <inheritdoc cref="From(RetryConditionHeaderValue?, DateTimeOffset?, DateTimeOffset)"/>
    public static TimeSpan? From(string? header, DateTimeOffset? answeredAt, DateTimeOffset now) =>
        RetryConditionHeaderValue.TryParse(header, out var parsed) ? From(parsed, answeredAt, now) : null;
}
