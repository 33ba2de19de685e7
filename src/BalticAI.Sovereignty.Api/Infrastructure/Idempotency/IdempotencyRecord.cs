namespace BalticAI.Sovereignty.Api.Infrastructure.Idempotency;

/// <summary>
/// The first answer to a POST carrying an Idempotency-Key, kept for <see cref="IdempotencyFilter.Retention"/>.
/// The id is a hash of caller and key, so keys of different callers never meet. Status and headers
/// (Location, ETag, Content-Type) are kept in the clear, the body only sealed (<see cref="AnswerSeal"/>).
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

    /// <summary>The body in the clear: only in records kept before answers were sealed; empty otherwise.</summary>
    public string Body { get; set; } = "";

    /// <summary>The body sealed under the Idempotency-Key (<see cref="AnswerSeal.Seal"/>).</summary>
    public string Sealed { get; set; } = "";

    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>The body as first answered; false when it is sealed and does not open with <paramref name="key"/>.</summary>
    public bool TryReadBody(ReadOnlySpan<byte> key, out string body)
    {
        if (Sealed.Length == 0)
        {
            body = Body;
            return true;
        }
        return AnswerSeal.TryOpen(key, Id, Sealed, out body);
    }
}

/// <summary>An answer as it is sent: what a kept record opens to.</summary>
public sealed record KeptAnswer(int Status, IReadOnlyDictionary<string, string> Headers, string Body);
