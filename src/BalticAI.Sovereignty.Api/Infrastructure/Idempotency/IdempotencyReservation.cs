using System.Text;
using System.Text.Json;
using Marten;

namespace BalticAI.Sovereignty.Api.Infrastructure.Idempotency;

/// <summary>
/// The Idempotency-Key a request holds while it runs (an HttpContext feature). The endpoint records its
/// work and its answer in one transaction: it prepares the answer (<see cref="Keep{T}"/> or
/// <see cref="KeepAsync"/>), inserts it with its work (<see cref="Enlist"/>; decisions through the group
/// commit), and says <see cref="Committed"/> once the transaction committed. The answer is then kept
/// exactly when the work is, and no crash can leave a key held without an answer. An endpoint that
/// records nothing (a refusal) leaves the keeping to the filter.
/// </summary>
public sealed class IdempotencyReservation(string id, string fingerprint, DateTimeOffset now, JsonSerializerOptions json)
{
    public const string JsonContentType = "application/json; charset=utf-8";
    private static readonly string[] KeptHeaders = ["Location", "ETag", "Content-Type"];
    private readonly DateTimeOffset _now = now;
    private readonly DateTimeOffset _expiresAt = now + IdempotencyFilter.Retention;
    private IdempotencyRecord? _prepared;

    /// <summary>The answer committed with the work; the filter sends exactly these bytes.</summary>
    public IdempotencyRecord? Kept { get; private set; }

    /// <summary>Prepares a JSON answer without touching the response (the decision path, where every microsecond counts).</summary>
    public IdempotencyRecord Keep<T>(int status, T body) =>
        _prepared = Record(id, fingerprint, _expiresAt, status, new Dictionary<string, string> { ["Content-Type"] = JsonContentType }, JsonSerializer.Serialize(body, json));

    /// <summary>
    /// Prepares the answer <paramref name="result"/> would write (status, Location, ETag, body), then puts
    /// the response back as it was: the transaction may still fail, and then another answer is sent.
    /// </summary>
    public async Task<IdempotencyRecord> KeepAsync(HttpContext http, IResult result)
    {
        var status = http.Response.StatusCode;
        var headers = http.Response.Headers.ToList();
        _prepared = await CaptureAsync(http, result, id, fingerprint, _expiresAt);
        http.Response.Clear();
        http.Response.StatusCode = status;
        foreach (var (name, value) in headers)
        {
            http.Response.Headers[name] = value;
        }
        return _prepared;
    }

    /// <summary>Inserts the prepared answer into the endpoint's transaction (see <see cref="InsertAfresh"/>).</summary>
    public void Enlist(IDocumentOperations session) =>
        InsertAfresh(session, _now, [_prepared ?? throw new InvalidOperationException("prepare the answer before enlisting it")]);

    /// <summary>The transaction carrying the prepared answer committed.</summary>
    public void Committed() => Kept = _prepared ?? throw new InvalidOperationException("no answer was prepared");

    /// <summary>
    /// Queues the insert of kept answers, never an upsert: a key another node kept first fails the whole
    /// transaction. Every record expired by <paramref name="now"/> is deleted first, so that a key whose
    /// record expired is inserted afresh in the same transaction.
    /// </summary>
    public static void InsertAfresh(IDocumentOperations session, DateTimeOffset now, IReadOnlyCollection<IdempotencyRecord> records)
    {
        if (records.Count == 0)
        {
            return;
        }
        session.DeleteWhere<IdempotencyRecord>(r => r.ExpiresAt <= now);
        foreach (var record in records)
        {
            session.Insert(record);
        }
    }

    /// <summary>Runs <paramref name="result"/> against a buffer and reads back what it wrote; the response keeps the status and headers.</summary>
    internal static async Task<IdempotencyRecord> CaptureAsync(HttpContext http, IResult result, string id, string fingerprint, DateTimeOffset expiresAt)
    {
        var original = http.Response.Body;
        using var buffer = new MemoryStream();
        try
        {
            http.Response.Body = buffer;
            await result.ExecuteAsync(http);
        }
        finally
        {
            http.Response.Body = original;
        }
        var response = http.Response;
        return Record(id, fingerprint, expiresAt, response.StatusCode,
            KeptHeaders.Where(h => response.Headers.ContainsKey(h)).ToDictionary(h => h, h => response.Headers[h].ToString()),
            Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    private static IdempotencyRecord Record(string id, string fingerprint, DateTimeOffset expiresAt, int status, Dictionary<string, string> headers, string body) => new()
    {
        Id = id,
        Fingerprint = fingerprint,
        Completed = true,
        Status = status,
        Headers = headers,
        Body = body,
        ExpiresAt = expiresAt,
    };
}

/// <summary>Saving a Marten session's work together with the answer to a keyed request.</summary>
public static class IdempotentSaves
{
    /// <summary>Saves the session; when the request carries an Idempotency-Key, <paramref name="answer"/> is kept in the same transaction.</summary>
    public static async Task SaveWithAnswerAsync(this IDocumentSession session, HttpContext http, IResult answer)
    {
        var reservation = http.Features.Get<IdempotencyReservation>();
        if (reservation is not null)
        {
            await reservation.KeepAsync(http, answer);
            reservation.Enlist(session);
        }
        await session.SaveChangesAsync(http.RequestAborted);
        reservation?.Committed();
    }
}

/// <summary>Keys held by requests running in this process, so a concurrent retry here is told 409 at once.</summary>
public sealed class IdempotencyKeysInFlight
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _keys = new(StringComparer.Ordinal);

    public bool TryEnter(string id) => _keys.TryAdd(id, 0);

    public void Leave(string id) => _keys.TryRemove(id, out _);
}
