using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Ledger;
using BalticAI.Sovereignty.Api.Policies;
using BalticAI.Sovereignty.Api.Provenance.QueryingLineage;
using BalticAI.Sovereignty.Api.Sites;
using BalticAI.Sovereignty.Api.TrainingJobs;
using Marten;
using Marten.Events;

namespace BalticAI.Sovereignty.Api.Decisions.Grants.Revoking;

/// <summary>
/// The recorded change behind a grant revoked because it was issued late: the last event of <paramref name="EventType"/>
/// on <paramref name="Stream"/> (of that version's withdrawal when <paramref name="Version"/> is set).
/// </summary>
public sealed record LateCause(Guid Stream, Type EventType, int? Version = null)
{
    public bool Matches(object data) => data.GetType() == EventType && (Version is not { } version || data is DatasetVersionWithdrawn { Number: var number } && number == version);
}

public sealed partial class GrantRevoker
{
    /// <summary>
    /// Pure: where the change that <see cref="ReasonToRevokeIssued"/> names as <paramref name="reason"/> is recorded, so the
    /// revocation is stamped with whoever closed the job, suspended the site, or withdrew, restricted or amended the data,
    /// as the revocation that change causes directly is. Null for a reason no single recorded event gives.
    /// </summary>
    public static LateCause? CauseOf(string reason, Grant grant, Dataset? dataset, IReadOnlyList<DerivationSource> sources)
    {
        return RevocationReasons.KindOf(reason) switch
        {
            "job-closed" => new LateCause(grant.JobId, typeof(TrainingJobClosed)),
            "site-suspended" => new LateCause(grant.SiteId, typeof(ComputeSiteSuspended)),
            "dataset-withdrawn" => new LateCause(grant.DatasetId, typeof(DatasetWithdrawn)),
            "dataset-restricted" => new LateCause(grant.DatasetId, typeof(DatasetRestricted)),
            "dataset-version-withdrawn" => new LateCause(grant.DatasetId, typeof(DatasetVersionWithdrawn), grant.DatasetVersion),
            "source-dataset-withdrawn" => OfSource(sources, DatasetStatus.Withdrawn, typeof(DatasetWithdrawn)),
            "source-dataset-restricted" => OfSource(sources, DatasetStatus.Restricted, typeof(DatasetRestricted)),
            "source-dataset-version-withdrawn" => dataset is not null && WithdrawnSourceVersion(dataset, grant.DatasetVersion, sources) is { } source
                ? new LateCause(source.DatasetId, typeof(DatasetVersionWithdrawn), source.Version)
                : null,
            "terms-expire-sooner" => new LateCause(grant.DatasetId, typeof(DatasetTermsAmended)),
            _ => null,
        };
    }

    /// <summary>The first source in that state: the one <see cref="ReasonToRevokeIssued"/> named, as it names the first inactive one.</summary>
    private static LateCause? OfSource(IReadOnlyList<DerivationSource> sources, DatasetStatus status, Type eventType) =>
        sources.FirstOrDefault(s => s.State.Status == status) is { } source ? new LateCause(source.DatasetId, eventType) : null;

    /// <summary>
    /// The revocations grouped by who caused them: the actor of each cause's last matching event, or the broker when there
    /// is no cause or its event is not found. Late grants are rare, so each cause costs a query of its own.
    /// </summary>
    private static async Task<IReadOnlyDictionary<Actor, List<(Grant Grant, string Reason)>>> ByCauserAsync(
        IQuerySession session, IEnumerable<(Grant Grant, string Reason, LateCause? Cause)> revocations, CancellationToken ct)
    {
        var events = (EventGraph)session.DocumentStore.Options.Events;
        var actors = new Dictionary<LateCause, Actor>();
        var grouped = new Dictionary<Actor, List<(Grant, string)>>();
        foreach (var (grant, reason, cause) in revocations)
        {
            var actor = PolicySetup.BrokerActor;
            if (cause is not null && !actors.TryGetValue(cause, out actor!))
            {
                var typeName = events.EventMappingFor(cause.EventType).EventTypeName;
                var recorded = await session.Events.QueryAllRawEvents()
                    .Where(e => e.StreamId == cause.Stream && e.EventTypeName == typeName)
                    .OrderByDescending(e => e.Sequence)
                    .ToListAsync(ct);
                actors[cause] = actor = recorded.FirstOrDefault(e => cause.Matches(e.Data))?.ReadActor() ?? PolicySetup.BrokerActor;
            }
            if (!grouped.TryGetValue(actor, out var group))
            {
                grouped[actor] = group = [];
            }
            group.Add((grant, reason));
        }
        return grouped;
    }
}
