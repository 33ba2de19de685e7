using BalticAI.Sovereignty.Api.Infrastructure.Concurrency;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Infrastructure.Persistence;
using BalticAI.Sovereignty.Api.Ledger;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Provenance.IngestingLineage;

/// <summary>Records a refused report as a violation, once per report content; the record is the write a refusal makes.</summary>
public static class LineageViolations
{
    public static async Task<LineageViolationRecorded?> PriorAsync(IQuerySession session, Guid violationId, CancellationToken ct)
    {
        var events = await session.Events.FetchStreamAsync(violationId, token: ct);
        return events.Select(e => e.Data).OfType<LineageViolationRecorded>().FirstOrDefault();
    }

    public static async Task<ProblemHttpResult> RecordAsync(IDocumentSession session, Caller caller, LineageViolationRecorded violation, CancellationToken ct)
    {
        if (await PriorAsync(session, violation.ViolationId, ct) is { } prior)
        {
            return LineageProblems.Violation(prior);
        }
        session.RecordActor(caller.Actor);
        session.Events.StartStream(violation.ViolationId, violation);
        try
        {
            await session.CommitAsync(ct);
        }
        catch (Exception e) when (ConcurrentWrites.Are(e))
        {
            // The same report, refused at the same moment by another request: its record stands for both.
        }
        return LineageProblems.Violation(violation);
    }
}
