using System.Security.Cryptography;
using System.Text;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using JasperFx;
using Marten;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace BalticAI.Sovereignty.Api.Infrastructure.Idempotency;

/// <summary>
/// Makes POST retries safe: the same caller, key and request gets the first answer again (status,
/// Location, ETag, body); the same key with another request is 422; a retry while the first is still
/// running is 409. Answers that depend on the moment rather than the request are not kept (5xx, and
/// 409/412/428 which record nothing): a retry after an outage or with a fresh If-Match runs again.
/// Endpoints that keep their answer with their work (<see cref="AnswerKeptWithTheWork"/>) hold the key
/// in memory while they run, and the database decides between nodes: the first answer committed wins.
/// </summary>
public sealed class IdempotencyFilter(
    IDocumentStore store, CallerResolver callers, IdempotencyKeysInFlight inFlight, IOptions<JsonOptions> json, TimeProvider clock) : IEndpointFilter
{
    public const string HeaderName = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);
    private static readonly string[] KeptHeaders = ["Location", "ETag", "Content-Type"];

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var key = http.Request.Headers[HeaderName].ToString();
        if (key.Length == 0)
        {
            return await next(context);
        }
        if (key.Length > 255 || key.Any(c => c < 0x21 || c > 0x7E))
        {
            return TypedResults.Problem(title: "Invalid Idempotency-Key", detail: "Use 1-255 visible ASCII characters, e.g. a UUID.", statusCode: StatusCodes.Status400BadRequest);
        }
        var caller = callers.Resolve(http.User);
        if (caller is null)
        {
            return await next(context);
        }
        var id = Hash($"{caller.Organisation}\n{caller.Actor.Application}\n{caller.Actor.Pseudonym}\n{key}");
        var fingerprint = await FingerprintAsync(http.Request);
        if (http.GetEndpoint()?.Metadata.GetMetadata<AnswerKeptWithTheWork>() is not null)
        {
            return await RunWithTheWorkAsync(context, next, id, fingerprint);
        }
        var (replay, conflict) = await ReserveAsync(id, fingerprint, http.RequestAborted);
        if (conflict is not null)
        {
            return conflict;
        }
        if (replay is not null)
        {
            await WriteAsync(http, replay, replayed: true);
            return Results.Empty;
        }
        return await RunAndKeepAsync(context, next, id, fingerprint);
    }

    /// <summary>What an earlier request with this key decides for this one: nothing (run it), a replay, or a refusal.</summary>
    private static (IdempotencyRecord? Replay, IResult? Conflict) Judge(IdempotencyRecord? existing, string fingerprint, DateTimeOffset now)
    {
        if (existing is null || existing.ExpiresAt <= now)
        {
            return (null, null);
        }
        if (existing.Fingerprint != fingerprint)
        {
            return (null, TypedResults.Problem(title: "Idempotency-Key reused", detail: "This key was already used with another request; use a new key.", statusCode: StatusCodes.Status422UnprocessableEntity));
        }
        return existing.Completed ? (existing, null) : (null, InProgress());
    }

    private static IResult InProgress() =>
        TypedResults.Problem(title: "Request in progress", detail: "A request with this key is still running; retry shortly.", statusCode: StatusCodes.Status409Conflict);

    private async Task<(IdempotencyRecord? Replay, IResult? Conflict)> ReserveAsync(string id, string fingerprint, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var session = store.LightweightSession();
        var earlier = Judge(await session.LoadAsync<IdempotencyRecord>(id, ct), fingerprint, now);
        if (earlier != default)
        {
            return earlier;
        }
        Purge(session, now);
        session.Insert(new IdempotencyRecord { Id = id, Fingerprint = fingerprint, ExpiresAt = now + Retention });
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (DocumentAlreadyExistsException)
        {
            return (null, InProgress());
        }
        return (null, null);
    }

    /// <summary>
    /// No reservation is written: the endpoint inserts its answer in the transaction that records its work.
    /// Should another node have kept an answer for the key meanwhile, that insert fails, the whole transaction
    /// with it, and this request answers as a retry of the other one.
    /// </summary>
    private async Task<object?> RunWithTheWorkAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next, string id, string fingerprint)
    {
        var http = context.HttpContext;
        var now = clock.GetUtcNow();
        var earlier = await JudgeStoredAsync(id, fingerprint, http.RequestAborted);
        if (earlier != default)
        {
            return await AnswerAsync(http, earlier);
        }
        if (!inFlight.TryEnter(id))
        {
            return InProgress();
        }
        try
        {
            var reservation = new IdempotencyReservation(id, fingerprint, now + Retention, json.Value.SerializerOptions);
            http.Features.Set(reservation);
            object? result;
            try
            {
                result = await next(context);
            }
            catch (DocumentAlreadyExistsException taken) when (reservation.Kept is not null && taken.Id is string takenId && takenId == id)
            {
                return await AnswerAsync(http, await JudgeStoredAsync(id, fingerprint, CancellationToken.None));
            }
            if (reservation.Kept is { } kept)
            {
                await WriteAsync(http, kept, replayed: false);
                return Results.Empty;
            }
            return await SendAndKeepAsync(http, result, id, fingerprint, reserved: false);
        }
        finally
        {
            inFlight.Leave(id);
        }
    }

    private async Task<(IdempotencyRecord? Replay, IResult? Conflict)> JudgeStoredAsync(string id, string fingerprint, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return Judge(await session.LoadAsync<IdempotencyRecord>(id, ct), fingerprint, clock.GetUtcNow());
    }

    private static async Task<object?> AnswerAsync(HttpContext http, (IdempotencyRecord? Replay, IResult? Conflict) earlier)
    {
        if (earlier.Replay is { } replay)
        {
            await WriteAsync(http, replay, replayed: true);
            return Results.Empty;
        }
        return earlier.Conflict ?? InProgress();
    }

    /// <summary>Runs the endpoint, then keeps its answer; a reservation is forgotten when there is nothing to keep.</summary>
    private async Task<object?> RunAndKeepAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next, string id, string fingerprint)
    {
        object? result;
        try
        {
            result = await next(context);
        }
        catch
        {
            await ForgetAsync(id);
            throw;
        }
        return await SendAndKeepAsync(context.HttpContext, result, id, fingerprint, reserved: true);
    }

    /// <summary>Writes the answer into a buffer to keep it, then sends it on (or, unreserved, the answer another node kept first).</summary>
    private async Task<object?> SendAndKeepAsync(HttpContext http, object? result, string id, string fingerprint, bool reserved)
    {
        var original = http.Response.Body;
        using var buffer = new MemoryStream();
        try
        {
            http.Response.Body = buffer;
            if (result is IResult executable)
            {
                await executable.ExecuteAsync(http);
            }
        }
        catch when (reserved)
        {
            await ForgetAsync(id);
            throw;
        }
        finally
        {
            http.Response.Body = original;
        }
        if (!IsKept(http.Response.StatusCode))
        {
            if (reserved)
            {
                await ForgetAsync(id);
            }
        }
        else if (!await KeepAsync(id, fingerprint, http.Response, buffer.ToArray(), reserved))
        {
            http.Response.Clear();
            return await AnswerAsync(http, await JudgeStoredAsync(id, fingerprint, CancellationToken.None));
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(original, http.RequestAborted);
        return Results.Empty;
    }

    private static bool IsKept(int status) =>
        status < 500 && status is not (StatusCodes.Status409Conflict or StatusCodes.Status412PreconditionFailed or StatusCodes.Status428PreconditionRequired);

    /// <summary>False when, unreserved, another request kept its answer for this key first.</summary>
    private async Task<bool> KeepAsync(string id, string fingerprint, HttpResponse response, byte[] body, bool reserved)
    {
        var now = clock.GetUtcNow();
        var record = new IdempotencyRecord
        {
            Id = id,
            Fingerprint = fingerprint,
            Completed = true,
            Status = response.StatusCode,
            Headers = KeptHeaders.Where(h => response.Headers.ContainsKey(h)).ToDictionary(h => h, h => response.Headers[h].ToString()),
            Body = Encoding.UTF8.GetString(body),
            ExpiresAt = now + Retention,
        };
        await using var session = store.LightweightSession();
        if (reserved)
        {
            session.Store(record);
        }
        else
        {
            Purge(session, now);
            session.Insert(record);
        }
        try
        {
            await session.SaveChangesAsync(CancellationToken.None);
            return true;
        }
        catch (DocumentAlreadyExistsException) when (!reserved)
        {
            return false;
        }
    }

    /// <summary>Deletes every expired record, so that a key whose record expired can be inserted afresh in the same transaction.</summary>
    public static void Purge(IDocumentSession session, DateTimeOffset now) => session.DeleteWhere<IdempotencyRecord>(r => r.ExpiresAt <= now);

    private async Task ForgetAsync(string id)
    {
        await using var session = store.LightweightSession();
        session.Delete<IdempotencyRecord>(id);
        await session.SaveChangesAsync(CancellationToken.None);
    }

    private static async Task WriteAsync(HttpContext http, IdempotencyRecord record, bool replayed)
    {
        http.Response.StatusCode = record.Status;
        foreach (var (name, value) in record.Headers)
        {
            http.Response.Headers[name] = value;
        }
        if (replayed)
        {
            http.Response.Headers[ReplayedHeader] = "true";
        }
        await http.Response.WriteAsync(record.Body, http.RequestAborted);
    }

    /// <summary>Reads the body once, leaving it rewound for the endpoint.</summary>
    private static async Task<string> FingerprintAsync(HttpRequest request)
    {
        request.EnableBuffering();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method} {request.Path}\n"));
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            hash.AppendData(chunk, 0, read);
        }
        request.Body.Position = 0;
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
