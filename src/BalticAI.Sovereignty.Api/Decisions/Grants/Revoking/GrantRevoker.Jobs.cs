using BalticAI.Sovereignty.Api.Ledger;
using BalticAI.Sovereignty.Api.Sites;
using BalticAI.Sovereignty.Api.Sites.Suspending;
using BalticAI.Sovereignty.Api.TrainingJobs;
using BalticAI.Sovereignty.Api.TrainingJobs.ClosingJob;
using JasperFx.Events;
using Marten;

namespace BalticAI.Sovereignty.Api.Decisions.Grants.Revoking;

/// <summary>
/// A closed job holds no grant, and a suspended site receives none: those active at the closure or suspension, and any
/// a decision commits after it, are revoked.
/// </summary>
public sealed partial class GrantRevoker
{
    /// <summary>Pure: the reason of a grant revoked because its job was closed (`job-closed:cancelled`).</summary>
    public static string ReasonToRevokeOnClosure(JobOutcome outcome) => "job-closed:" + CloseJobEndpoint.Outcome(outcome);

    /// <summary>Pure: the reason of a grant revoked because its site was suspended (`site-suspended:security-incident`).</summary>
    public static string ReasonToRevokeOnSuspension(SuspensionReason reason) => "site-suspended:" + SuspendSiteEndpoint.Token(reason);

    private async Task RevokeOnClosureAsync(IEvent @event, TrainingJobClosed closed, CancellationToken ct)
    {
        await using var session = _services.GetRequiredService<IDocumentStore>().QuerySession();
        await RevokeJobsAsync(session, @event, [closed.JobId], ReasonToRevokeOnClosure(closed.Outcome), ct);
    }

    /// <summary>Through the jobs on the site, whose index finds them (grants are not indexed by site).</summary>
    private async Task RevokeOnSuspensionAsync(IEvent @event, ComputeSiteSuspended suspended, CancellationToken ct)
    {
        await using var session = _services.GetRequiredService<IDocumentStore>().QuerySession();
        var jobs = await session.Query<TrainingJob>().Where(j => j.SiteId == suspended.SiteId).Select(j => j.Id).ToListAsync(ct);
        await RevokeJobsAsync(session, @event, [.. jobs], ReasonToRevokeOnSuspension(suspended.Reason), ct);
    }

    private async Task RevokeJobsAsync(IQuerySession session, IEvent @event, Guid[] jobs, string reason, CancellationToken ct)
    {
        if (jobs.Length == 0)
        {
            return;
        }
        var now = _clock.GetUtcNow();
        var revocations = (await ActiveAsync(session, g => g.JobId.IsOneOf(jobs), now, ct)).Select(g => (Grant: g, Reason: reason)).ToList();
        if (revocations.Count > 0)
        {
            await RevokeAsync(session.DocumentStore, revocations, @event.ReadActor() ?? Policies.PolicySetup.BrokerActor, now, ct);
        }
    }
}
