using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Ledger.Checkpointing;
using BalticAI.Sovereignty.Api.Ledger.GettingCheckpoints;
using BalticAI.Sovereignty.Api.Ledger.GettingProofs;
using BalticAI.Sovereignty.Api.Ledger.Tree;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Ledger.GettingEntries;

public sealed record EntryByEventResponse(EntryResponse Entry, InclusionProofResponse Proof, CheckpointResponse? Checkpoint);

public sealed record EntryPage(long TreeSize, IReadOnlyList<EntryResponse> Entries);

/// <summary>
/// Entries are public as leaves (digests only); event data goes only to auditors, so a regulator or the
/// public can check every proof without seeing what they may not read.
/// </summary>
public static class GetEntryEndpoints
{
    public const int MaxPage = 10_000;

    public static IEndpointRouteBuilder MapGetEntries(this IEndpointRouteBuilder app)
    {
        app.MapGet("/ledger/entries/by-event/{eventId:guid}", async Task<Results<Ok<EntryByEventResponse>, ProblemHttpResult>> (
                Guid eventId, HttpContext http, LedgerStore ledger, CheckpointStore checkpoints, ProofService proofs, CancellationToken ct) =>
            {
                if (await ledger.FindByEventAsync(eventId, ct) is not { } found)
                {
                    var (size, lastSequence) = await ledger.ReadTipAsync(ct);
                    if (await ledger.FollowsTreeAsync(eventId, lastSequence, ct))
                    {
                        // The tree builder trails commits by about the daemon's polling delay.
                        http.Response.Headers.RetryAfter = "2";
                        return TypedResults.Problem($"Event {eventId} is not in the ledger's tree yet; retry shortly.", statusCode: StatusCodes.Status404NotFound, title: "Not in the ledger yet");
                    }
                    // The tree may have taken the event in between the two reads; past its tip there is nothing to wait for.
                    if (await ledger.FindByEventAsync(eventId, ct) is not { } late)
                    {
                        return TypedResults.Problem(
                            $"No event {eventId} follows the ledger's tree of {size} entries, and the tree does not hold it: it was never recorded, or the log lacks it (balticai ledger missing).",
                            statusCode: StatusCodes.Status404NotFound, title: "Not in the ledger");
                    }
                    found = late;
                }
                var checkpoint = await checkpoints.CoveringAsync(found.Index, ct);
                var treeSize = checkpoint?.Size ?? await ledger.ReadSizeAsync(ct);
                var entry = await ledger.ReadEntriesAsync(found.Index, 1, ct).FirstAsync(ct);
                return TypedResults.Ok(new EntryByEventResponse(
                    EntryResponse.From(entry, MayReadData(http)),
                    await proofs.InclusionAsync(found.Index, treeSize, ct),
                    checkpoint is null ? null : CheckpointResponse.From(checkpoint)));
            })
            .WithName("GetEntryByEvent")
            .WithSummary("An event's ledger entry and its inclusion proof in the first checkpoint that covers it")
            .WithDescription("404 with Retry-After while the tree builder has not reached an event recorded after the tree's last leaf; 404 without it (title \"Not in the ledger\") when no such event follows the tree and the tree does not hold it: an id never recorded, or an event the log lacks (balticai ledger missing).")
            .ProducesProblem(StatusCodes.Status404NotFound);

        app.MapGet("/ledger/entries", async Task<Results<Ok<EntryPage>, ProblemHttpResult>> (
                long? from, int? count, HttpContext http, LedgerStore ledger, CancellationToken ct) =>
            {
                var start = from ?? 0;
                var take = count ?? 1000;
                if (start < 0 || take < 1 || take > MaxPage)
                {
                    return TypedResults.Problem($"Need from >= 0 and 1 <= count <= {MaxPage}.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid page");
                }
                var withData = MayReadData(http);
                var entries = await ledger.ReadEntriesAsync(start, take, ct).Select(e => EntryResponse.From(e, withData)).ToListAsync(ct);
                return TypedResults.Ok(new EntryPage(await ledger.ReadSizeAsync(ct), entries));
            })
            .WithName("ListEntries")
            .WithSummary("Ledger entries in order (leaf bytes and recorded leaf hashes; event data for auditors)");
        return app;
    }

    private static bool MayReadData(HttpContext http) => http.User.IsInRole(Roles.Auditor);
}
