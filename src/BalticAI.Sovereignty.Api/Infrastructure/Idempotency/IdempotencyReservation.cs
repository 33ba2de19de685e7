using BalticAI.Sovereignty.Api.Infrastructure.Persistence;
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
/// records nothing (a refusal) leaves the keeping to the filter. Answers are stored sealed under the key
/// (<see cref="AnswerSeal"/>).
/// </summary>
public sealed class IdempotencyReservation(string id, string fingerprint, byte[] sealKey, DateTimeOffset now, JsonSerializerOptions json)
{
    public const string JsonContentType = "application/json; charset=utf-8";
    private static readonly string[] KeptHeaders = ["Location", "ETag", "Content-Type"];
    private readonly DateTimeOffset _now = now;
    private readonly DateTimeOffset _expiresAt = now + IdempotencyFilter.Retention;
    private (KeptAnswer Answer, IdempotencyRecord Record)? _prepared;

    /// <summary>A hash of caller and key: the kept record's id.</summary>
    public string Id => id;

    /// <summary>SHA-256 of method, path and body (<see cref="IdempotencyRecord.Fingerprint"/>).</summary>
    public string Fingerprint => fingerprint;

    /// <summary>The body of a record kept for this key; false when it does not open with this key.</summary>
    public bool TryOpen(IdempotencyRecord record, out string body) => record.TryReadBody(sealKey, out body);

    /// <summary>The answer committed with the work; the filter sends exactly these bytes.</summary>
    public KeptAnswer? Kept { get; private set; }

    /// <summary>Prepares a JSON answer without touching the response (the decision path, where every microsecond counts).</summary>
    public IdempotencyRecord Keep<T>(int status, T body) =>
        Prepare(new KeptAnswer(status, new Dictionary<string, string> { ["Content-Type"] = JsonContentType }, JsonSerializer.Serialize(body, json)));

    /// <summary>
    /// Prepares the answer <paramref name="result"/> would write (status, Location, ETag, body), then puts
    /// the response back as it was: the transaction may still fail, and then another answer is sent. Returns the
    /// record to insert, for a write that goes through the group commit.
    /// </summary>
    public async Task<IdempotencyRecord> KeepAsync(HttpContext http, IResult result)
    {
        var status = http.Response.StatusCode;
        var headers = http.Response.Headers.ToList();
        var record = Prepare(await CaptureAsync(http, result));
        http.Response.Clear();
        http.Response.StatusCode = status;
        foreach (var (name, value) in headers)
        {
            http.Response.Headers[name] = value;
        }
        return record;
    }

    /// <summary>Inserts the prepared answer into the endpoint's transaction (see <see cref="InsertAfresh"/>).</summary>
    public void Enlist(IDocumentOperations session) =>
        InsertAfresh(session, _now, [_prepared?.Record ?? throw new InvalidOperationException("prepare the answer before enlisting it")]);

    /// <summary>The transaction carrying the prepared answer committed.</summary>
    public void Committed() => Kept = _prepared?.Answer ?? throw new InvalidOperationException("no answer was prepared");

    /// <summary>The record that keeps <paramref name="answer"/> for this key, its body sealed.</summary>
    internal IdempotencyRecord Seal(KeptAnswer answer) => new()
    {
        Id = id,
        Fingerprint = fingerprint,
        Completed = true,
        Status = answer.Status,
        Headers = new Dictionary<string, string>(answer.Headers),
        Sealed = AnswerSeal.Seal(sealKey, id, answer.Body),
        ExpiresAt = _expiresAt,
    };

    private IdempotencyRecord Prepare(KeptAnswer answer)
    {
        var record = Seal(answer);
        _prepared = (answer, record);
        return record;
    }

    /// <summary>
    /// Queues the insert of kept answers, never an upsert: a key another node kept first fails the whole
    /// transaction. An expired record of these very keys is deleted first, so that a key used again after
    /// expiry is kept afresh in the same transaction. Other expired records are left to
    /// <see cref="KeptAnswerSweeper"/>: deleting them here made concurrent commits deadlock on them.
    /// </summary>
    public static void InsertAfresh(IDocumentOperations session, DateTimeOffset now, IReadOnlyCollection<IdempotencyRecord> records)
    {
        if (records.Count == 0)
        {
            return;
        }
        var ids = records.Select(r => r.Id).ToArray();
        session.DeleteWhere<IdempotencyRecord>(r => r.Id.IsOneOf(ids) && r.ExpiresAt <= now);
        foreach (var record in records)
        {
            session.Insert(record);
        }
    }

    /// <summary>Runs <paramref name="result"/> against a buffer and reads back what it wrote; the response keeps the status and headers.</summary>
    internal static async Task<KeptAnswer> CaptureAsync(HttpContext http, IResult result)
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
        return new KeptAnswer(response.StatusCode,
            KeptHeaders.Where(h => response.Headers.ContainsKey(h)).ToDictionary(h => h, h => response.Headers[h].ToString()),
            Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }
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
        await session.CommitAsync(http.RequestAborted);
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
