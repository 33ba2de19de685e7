namespace BalticAI.Sovereignty.Api.Infrastructure.Idempotency;

/// <summary>
/// The first answer to a POST carrying an Idempotency-Key, kept for <see cref="IdempotencyFilter.Retention"/>.
/// The id is a hash of caller and key, so keys of different callers never meet.
/// </summary>
public sealed class IdempotencyRecord
{
    public string Id { get; set; } = "";

    /// <summary>SHA-256 of method, path and body: the same key with another request is refused.</summary>
    public string Fingerprint { get; set; } = "";

    /// <summary>False while the first request is still running; a concurrent retry then gets 409.</summary>
    public bool Completed { get; set; }

    public int Status { get; set; }

    public Dictionary<string, string> Headers { get; set; } = [];

    public string Body { get; set; } = "";

    public DateTimeOffset ExpiresAt { get; set; }
}
