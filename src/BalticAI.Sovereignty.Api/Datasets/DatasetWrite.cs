using BalticAI.Sovereignty.Api.Infrastructure.Concurrency;
using BalticAI.Sovereignty.Api.Infrastructure.Idempotency;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Ledger;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Datasets;

/// <summary>
/// The one way an existing dataset changes: If-Match present (428) and well-formed (400), dataset
/// found (404), caller's organisation owns it (403), ETag current (412), the slice's pure decision
/// (409/422), then one transaction appending its events with the actor headers; a write committed
/// by someone else in between makes Marten refuse ours (409). Nothing is written on any refusal.
/// </summary>
public static class DatasetWrite
{
    /// <summary>
    /// <paramref name="endsReleases"/> for a withdrawal or restriction: the dataset's stream row is then locked
    /// from the read on. A release reads that row FOR SHARE in its commit (<see cref="Infrastructure.Concurrency.StreamsUnchanged"/>),
    /// so it either commits first, and this write takes its ledger sequence numbers after it, or waits for
    /// this write and fails. Unlocked, a release could commit between this write taking its sequence numbers
    /// and changing the row, and stand after the withdrawal in the ledger.
    /// </summary>
    public static async Task<Results<TSuccess, ProblemHttpResult>> RunAsync<TSuccess>(
        HttpContext http,
        Guid id,
        Caller caller,
        IDocumentSession session,
        Func<Dataset, Decision> decide,
        Func<Dataset, long, TSuccess> respond,
        bool endsReleases = false)
        where TSuccess : IResult
    {
        var (state, expected) = ETags.ReadIfMatch(http.Request);
        if (state == ETags.IfMatchState.Missing)
        {
            return DatasetProblems.IfMatchRequired();
        }
        if (state == ETags.IfMatchState.Malformed)
        {
            return DatasetProblems.IfMatchMalformed();
        }
        var stream = endsReleases
            ? await session.Events.FetchForExclusiveWriting<Dataset>(id, http.RequestAborted)
            : await session.Events.FetchForWriting<Dataset>(id, http.RequestAborted);
        if (stream.Aggregate is not { } dataset)
        {
            return DatasetProblems.NotFound(id);
        }
        if (dataset.Owner != caller.Organisation)
        {
            return DatasetProblems.NotOwner();
        }
        if (stream.CurrentVersion != expected)
        {
            ETags.Set(http.Response, stream.CurrentVersion ?? 0);
            return DatasetProblems.Stale(stream.CurrentVersion ?? 0);
        }
        var decision = decide(dataset);
        if (decision.Error is { } error)
        {
            return DatasetProblems.From(error);
        }
        var version = expected + decision.Events.Count;
        var answer = respond(decision.Events.Aggregate(dataset, (current, e) => current.After(e)), version);
        ETags.Set(http.Response, version);
        if (decision.Events.Count > 0)
        {
            session.RecordActor(caller.Actor);
            stream.AppendMany(decision.Events.ToArray());
            try
            {
                await session.SaveWithAnswerAsync(http, answer);
            }
            catch (Exception e) when (ConcurrentWrites.Are(e))
            {
                // Nothing of ours was written, so no new version exists to name.
                http.Response.Headers.ETag = default;
                return DatasetProblems.ConcurrentWrite();
            }
        }
        return answer;
    }
}
