using System.Security.Cryptography;
using System.Text;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using JasperFx;
using Marten;

namespace BalticAI.Sovereignty.Api.Infrastructure.Idempotency;

/// <summary>
/// Makes POST retries safe: the same caller, key and request gets the first answer again (status,
/// Location, ETag, body); the same key with another request is 422; a retry while the first is still
/// running is 409. Answers that depend on the moment rather than the request are not kept (5xx, and
/// 409/412/428 which record nothing): a retry after an outage or with a fresh If-Match runs again.
/// </summary>
public sealed class IdempotencyFilter(IDocumentStore store, CallerResolver callers, TimeProvider clock) : IEndpointFilter
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
        var (replay, conflict) = await ReserveAsync(id, fingerprint, http.RequestAborted);
        if (conflict is not null)
        {
            return conflict;
        }
        if (replay is not null)
        {
            await ReplayAsync(http, replay);
            return Results.Empty;
        }
        return await RunAndKeepAsync(context, next, id, fingerprint);
    }

    private async Task<(IdempotencyRecord? Replay, IResult? Conflict)> ReserveAsync(string id, string fingerprint, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var session = store.LightweightSession();
        var existing = await session.LoadAsync<IdempotencyRecord>(id, ct);
        if (existing is not null && existing.ExpiresAt > now)
        {
            if (existing.Fingerprint != fingerprint)
            {
                return (null, TypedResults.Problem(title: "Idempotency-Key reused", detail: "This key was already used with another request; use a new key.", statusCode: StatusCodes.Status422UnprocessableEntity));
            }
            return existing.Completed
                ? (existing, null)
                : (null, TypedResults.Problem(title: "Request in progress", detail: "A request with this key is still running; retry shortly.", statusCode: StatusCodes.Status409Conflict));
        }
        // Purges every expired record, this key's included, before reserving the key afresh.
        session.DeleteWhere<IdempotencyRecord>(r => r.ExpiresAt <= now);
        session.Insert(new IdempotencyRecord { Id = id, Fingerprint = fingerprint, ExpiresAt = now + Retention });
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (DocumentAlreadyExistsException)
        {
            return (null, TypedResults.Problem(title: "Request in progress", detail: "A request with this key is still running; retry shortly.", statusCode: StatusCodes.Status409Conflict));
        }
        return (null, null);
    }

    /// <summary>Runs the endpoint, writes its answer into a buffer to keep it, then sends it on.</summary>
    private async Task<object?> RunAndKeepAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next, string id, string fingerprint)
    {
        var http = context.HttpContext;
        var original = http.Response.Body;
        using var buffer = new MemoryStream();
        try
        {
            var result = await next(context);
            http.Response.Body = buffer;
            if (result is IResult executable)
            {
                await executable.ExecuteAsync(http);
            }
        }
        catch
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
            await ForgetAsync(id);
        }
        else
        {
            await KeepAsync(id, fingerprint, http.Response, buffer.ToArray());
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(original, http.RequestAborted);
        return Results.Empty;
    }

    private static bool IsKept(int status) =>
        status < 500 && status is not (StatusCodes.Status409Conflict or StatusCodes.Status412PreconditionFailed or StatusCodes.Status428PreconditionRequired);

    private async Task KeepAsync(string id, string fingerprint, HttpResponse response, byte[] body)
    {
        await using var session = store.LightweightSession();
        session.Store(new IdempotencyRecord
        {
            Id = id,
            Fingerprint = fingerprint,
            Completed = true,
            Status = response.StatusCode,
            Headers = KeptHeaders.Where(h => response.Headers.ContainsKey(h)).ToDictionary(h => h, h => response.Headers[h].ToString()),
            Body = Encoding.UTF8.GetString(body),
            ExpiresAt = clock.GetUtcNow() + Retention,
        });
        await session.SaveChangesAsync(CancellationToken.None);
    }

    private async Task ForgetAsync(string id)
    {
        await using var session = store.LightweightSession();
        session.Delete<IdempotencyRecord>(id);
        await session.SaveChangesAsync(CancellationToken.None);
    }

    private static async Task ReplayAsync(HttpContext http, IdempotencyRecord record)
    {
        http.Response.StatusCode = record.Status;
        foreach (var (name, value) in record.Headers)
        {
            http.Response.Headers[name] = value;
        }
        http.Response.Headers[ReplayedHeader] = "true";
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
