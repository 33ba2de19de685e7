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
/// running on this node is 409. Answers that depend on the moment rather than the request are not kept
/// (5xx, and 409/412/428 which record nothing): a retry after an outage or with a fresh If-Match runs again.
/// No reservation is written before the endpoint runs: the endpoint inserts its answer in the transaction
/// that records its work (<see cref="IdempotencyReservation"/>), and between nodes the database decides:
/// when another node committed an answer for the key first, that insert fails, the whole transaction with
/// it, and this request answers as a retry of the other one.
/// </summary>
public sealed class IdempotencyFilter(
    IDocumentStore store, CallerResolver callers, IdempotencyKeysInFlight inFlight, IOptions<JsonOptions> json, TimeProvider clock,
    ILogger<IdempotencyFilter> logger) : IEndpointFilter
{
    public const string HeaderName = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

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
        var reservation = new IdempotencyReservation(id, await FingerprintAsync(http.Request), AnswerSeal.Key(key, id), clock.GetUtcNow(), json.Value.SerializerOptions);
        var earlier = await JudgeStoredAsync(reservation, http.RequestAborted);
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
            http.Features.Set(reservation);
            object? result;
            try
            {
                result = await next(context);
            }
            catch (DocumentAlreadyExistsException taken) when (taken.Id is string takenId && takenId == id)
            {
                http.Response.Clear();
                return await AnswerAsync(http, await JudgeStoredAsync(reservation, CancellationToken.None));
            }
            if (reservation.Kept is { } kept)
            {
                await WriteAsync(http, kept, replayed: false);
                return Results.Empty;
            }
            return result is IResult alone ? await KeepAnswerAloneAsync(http, alone, reservation) : result;
        }
        finally
        {
            inFlight.Leave(id);
        }
    }

    /// <summary>What an earlier request with this key decides for this one: nothing (run it), a replay, or a refusal.</summary>
    private async Task<(KeptAnswer? Replay, IResult? Conflict)> JudgeStoredAsync(IdempotencyReservation reservation, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var existing = await session.LoadAsync<IdempotencyRecord>(reservation.Id, ct);
        if (existing is null || existing.ExpiresAt <= clock.GetUtcNow())
        {
            return (null, null);
        }
        if (existing.Fingerprint != reservation.Fingerprint)
        {
            return (null, TypedResults.Problem(title: "Idempotency-Key reused", detail: "This key was already used with another request; use a new key.", statusCode: StatusCodes.Status422UnprocessableEntity));
        }
        // Records written before answers were kept with the work are reservations until completed.
        if (!existing.Completed)
        {
            return (null, InProgress());
        }
        if (!reservation.TryOpen(existing, out var body))
        {
            logger.LogError("The answer kept for Idempotency record {Id} does not open with its key: the record was altered or moved", existing.Id);
            return (null, TypedResults.Problem(title: "Kept answer unreadable", detail: "The answer kept for this key cannot be opened; use a new key.", statusCode: StatusCodes.Status409Conflict));
        }
        return (new KeptAnswer(existing.Status, existing.Headers, body), null);
    }

    private static IResult InProgress() =>
        TypedResults.Problem(title: "Request in progress", detail: "A request with this key is still running; retry shortly.", statusCode: StatusCodes.Status409Conflict);

    private static async Task<object?> AnswerAsync(HttpContext http, (KeptAnswer? Replay, IResult? Conflict) earlier)
    {
        if (earlier.Replay is { } replay)
        {
            await WriteAsync(http, replay, replayed: true);
            return Results.Empty;
        }
        return earlier.Conflict ?? InProgress();
    }

    /// <summary>
    /// An answer that recorded nothing (404, 403, 422, a write with nothing to change) is kept in a
    /// transaction of its own, inserted so that the first answer kept for the key wins; answers of the moment
    /// (5xx, 409, 412, 428) are not kept.
    /// </summary>
    private async Task<object?> KeepAnswerAloneAsync(HttpContext http, IResult result, IdempotencyReservation reservation)
    {
        var answer = await IdempotencyReservation.CaptureAsync(http, result);
        if (IsKept(answer.Status))
        {
            await using var session = store.LightweightSession();
            IdempotencyReservation.InsertAfresh(session, clock.GetUtcNow(), [reservation.Seal(answer)]);
            try
            {
                await session.SaveChangesAsync(CancellationToken.None);
            }
            catch (DocumentAlreadyExistsException)
            {
                http.Response.Clear();
                return await AnswerAsync(http, await JudgeStoredAsync(reservation, CancellationToken.None));
            }
        }
        await http.Response.WriteAsync(answer.Body, http.RequestAborted);
        return Results.Empty;
    }

    private static bool IsKept(int status) =>
        status < 500 && status is not (StatusCodes.Status409Conflict or StatusCodes.Status412PreconditionFailed or StatusCodes.Status428PreconditionRequired);

    private static async Task WriteAsync(HttpContext http, KeptAnswer record, bool replayed)
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
