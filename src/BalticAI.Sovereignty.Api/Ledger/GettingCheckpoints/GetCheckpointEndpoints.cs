using BalticAI.Sovereignty.Api.Ledger.Checkpointing;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Ledger.GettingCheckpoints;

/// <summary>Signed checkpoints are public: anyone may hold the broker to what it signed.</summary>
public static class GetCheckpointEndpoints
{
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

        app.MapGet("/ledger/checkpoints", async (CheckpointStore store, CancellationToken ct) =>
                TypedResults.Ok((await store.AllAsync(ct)).Select(CheckpointResponse.From).ToList()))
            .WithName("ListCheckpoints")
            .WithSummary("Every signed checkpoint, oldest first (for offline verification)");
        return app;
    }
}
