using BalticAI.Sovereignty.Api.Ledger.Checkpointing;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Ledger.GettingCheckpoints;

/// <summary>
/// Signed checkpoints are public: anyone may hold the broker to what it signed. Listed in pages: a busy ledger signs one
/// every few seconds, and an anonymous route must not answer with all of them at once.
/// </summary>
public static class GetCheckpointEndpoints
{
    public const int DefaultPage = 100;

    /// <summary>A checkpoint is a signed note with up to one cosignature line per witness: about 1 KiB each, 1 MiB a page.</summary>
    public const int MaxPage = 1000;

    public static IEndpointRouteBuilder MapGetCheckpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/ledger/checkpoints/latest", async Task<Results<Ok<CheckpointResponse>, ProblemHttpResult>> (CheckpointStore store, CancellationToken ct) =>
                await store.LatestAsync(ct) is { } latest
                    ? TypedResults.Ok(CheckpointResponse.From(latest))
                    : TypedResults.Problem("No checkpoint has been signed yet.", statusCode: StatusCodes.Status404NotFound, title: "No checkpoint"))
            .WithName("GetLatestCheckpoint")
            .WithSummary("The newest signed checkpoint (C2SP tlog-checkpoint) with its cosignatures");

        app.MapGet("/ledger/checkpoints/{size:long}", async Task<Results<Ok<CheckpointResponse>, ProblemHttpResult>> (long size, CheckpointStore store, CancellationToken ct) =>
                await store.AtSizeAsync(size, ct) is { } checkpoint
                    ? TypedResults.Ok(CheckpointResponse.From(checkpoint))
                    : TypedResults.Problem($"No checkpoint was signed at tree size {size}.", statusCode: StatusCodes.Status404NotFound, title: "No such checkpoint"))
            .WithName("GetCheckpoint")
            .WithSummary("The checkpoint signed at a given tree size");

        app.MapGet("/ledger/checkpoints", async Task<Results<Ok<List<CheckpointResponse>>, ProblemHttpResult>> (
                long? from, int? count, HttpContext http, CheckpointStore store, CancellationToken ct) =>
            {
                var start = from ?? 0;
                var take = count ?? DefaultPage;
                if (start < 0 || take < 1 || take > MaxPage)
                {
                    return TypedResults.Problem($"Need from >= 0 and 1 <= count <= {MaxPage}.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid page");
                }
                var page = await store.PageAsync(start, take, ct);
                if (page.Count == take)
                {
                    // RFC 8288: a full page may not be the last, and the next one starts past its last size.
                    http.Response.Headers.Link = $"</ledger/checkpoints?from={page[^1].Size + 1}&count={take}>; rel=\"next\"";
                }
                return TypedResults.Ok(page.Select(CheckpointResponse.From).ToList());
            })
            .WithName("ListCheckpoints")
            .WithSummary("Signed checkpoints of tree size `from` or more (default 0), oldest first, at most `count` (default 100, at most 1,000), "
                + "for offline verification; a full page has a `Link` header (rel=\"next\") to the next one");
        return app;
    }
}
