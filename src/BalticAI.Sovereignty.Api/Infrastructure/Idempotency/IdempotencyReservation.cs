using System.Text.Json;

namespace BalticAI.Sovereignty.Api.Infrastructure.Idempotency;

/// <summary>
/// The key a request holds while it runs, on endpoints opted in with
/// <c>WithIdempotency(keptWithTheWork: true)</c>. Such an endpoint
/// records its work and its answer in one transaction: the answer is kept exactly when the work is, with
/// one commit instead of three, and no crash can leave a key reserved without an answer.
/// </summary>
public sealed class IdempotencyReservation(string id, string fingerprint, DateTimeOffset expiresAt, JsonSerializerOptions json)
{
    public const string JsonContentType = "application/json; charset=utf-8";

    /// <summary>The answer the endpoint committed with its work; the filter sends exactly these bytes.</summary>
    public IdempotencyRecord? Kept { get; private set; }

    /// <summary>The record to insert (never upsert) in the endpoint's transaction: if another node kept an answer for this key meanwhile, the insert fails and nothing of this request is recorded.</summary>
    public IdempotencyRecord Keep<T>(int status, T body)
    {
        Kept = new IdempotencyRecord
        {
            Id = id,
            Fingerprint = fingerprint,
            Completed = true,
            Status = status,
            Headers = new Dictionary<string, string> { ["Content-Type"] = JsonContentType },
            Body = JsonSerializer.Serialize(body, json),
            ExpiresAt = expiresAt,
        };
        return Kept;
    }
}

/// <summary>Endpoint metadata: the endpoint keeps its answer through <see cref="IdempotencyReservation"/> in the transaction that records its work.</summary>
public sealed class AnswerKeptWithTheWork
{
    public static readonly AnswerKeptWithTheWork Instance = new();

    private AnswerKeptWithTheWork()
    {
    }
}

/// <summary>Keys held by requests running in this process, so a concurrent retry here is told 409 at once.</summary>
public sealed class IdempotencyKeysInFlight
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _keys = new(StringComparer.Ordinal);

    public bool TryEnter(string id) => _keys.TryAdd(id, 0);

    public void Leave(string id) => _keys.TryRemove(id, out _);
}
