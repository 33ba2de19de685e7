using BalticAI.Sovereignty.Api.Ledger;
using BalticAI.Sovereignty.Api.TrainingJobs;
using BalticAI.Sovereignty.Api.TrainingJobs.ClosingJob;
using JasperFx.Events;
using Marten;

namespace BalticAI.Sovereignty.Api.Decisions.Grants.Revoking;

/// <summary>A closed job holds no grant: those active at its closure, and any its last decisions commit after it, are revoked.</summary>
public sealed partial class GrantRevoker
{
    /// <summary>Pure: the reason of a grant revoked because its job was closed (`job-closed:cancelled`).</summary>
    public static string ReasonToRevokeOnClosure(JobOutcome outcome) => "job-closed:" + CloseJobEndpoint.Outcome(outcome);

    private async Task RevokeOnClosureAsync(IEvent @event, TrainingJobClosed closed, CancellationToken ct)
    {
        var store = _services.GetRequiredService<IDocumentStore>();
        await using var session = store.QuerySession();
        var now = _clock.GetUtcNow();
        var reason = ReasonToRevokeOnClosure(closed.Outcome);
        var revocations = (await ActiveAsync(session, g => g.JobId == closed.JobId, now, ct)).Select(g => (Grant: g, Reason: reason)).ToList();
        if (revocations.Count > 0)
        {
            await RevokeAsync(store, revocations, @event.ReadActor() ?? Policies.PolicySetup.BrokerActor, now, ct);
        }
    }
}
