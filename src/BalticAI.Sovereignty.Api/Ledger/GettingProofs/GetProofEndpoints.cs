using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Ledger.GettingProofs;

public static class GetProofEndpoints
{
    public static IEndpointRouteBuilder MapGetProofs(this IEndpointRouteBuilder app)
    {
        app.MapGet("/ledger/proofs/inclusion/{index:long}", async Task<Results<Ok<InclusionProofResponse>, ProblemHttpResult>> (
                long index, long? treeSize, ProofService proofs, Tree.LedgerStore ledger, CancellationToken ct) =>
            {
                var size = treeSize ?? await proofs.DefaultTreeSizeAsync(ct);
                var current = await ledger.ReadSizeAsync(ct);
                if (size < 1 || size > current)
                {
                    return BadRequest($"treeSize must be between 1 and the current tree size {current}.");
                }
                if (index < 0 || index >= size)
                {
                    return BadRequest($"Entry {index} is not in a tree of {size} entries.");
                }
                return TypedResults.Ok(await proofs.InclusionAsync(index, size, ct));
            })
            .WithName("GetInclusionProof")
            .WithSummary("RFC 9162 inclusion proof of an entry in the tree of a given size (default: the latest checkpoint)");

        app.MapGet("/ledger/proofs/consistency", async Task<Results<Ok<ConsistencyProofResponse>, ProblemHttpResult>> (
                long from, long to, ProofService proofs, Tree.LedgerStore ledger, CancellationToken ct) =>
            {
                var current = await ledger.ReadSizeAsync(ct);
                // from = 0 is valid: every tree extends the empty one, and the proof is empty (RFC 9162 §2.1.4).
                if (from < 0 || from > to || to > current)
                {
                    return BadRequest($"Need 0 <= from <= to <= {current} (the current tree size).");
                }
                return TypedResults.Ok(await proofs.ConsistencyAsync(from, to, ct));
            })
            .WithName("GetConsistencyProof")
            .WithSummary("RFC 9162 consistency proof between two tree sizes");
        return app;
    }

    internal static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Invalid proof request");
}
