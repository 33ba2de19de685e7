using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Provenance.QueryingLineage;
using Marten;

namespace BalticAI.Sovereignty.Api.Decisions.Grants.Revoking;

/// <summary>
/// Rule 11 downstream: a dataset withdrawn or restricted revokes the active grants on every dataset derived from it; a
/// version withdrawn alone those on versions of derived datasets made from it: those that named it when they were
/// published, and those that name no version of its dataset and were published after it (<see cref="VersionLineage"/>),
/// directly or through other derived versions.
/// </summary>
public sealed partial class GrantRevoker
{
    /// <summary>
    /// Pure: the reason a source dataset's event revokes a grant on a dataset derived from it, or null. A version's
    /// withdrawal revokes only those on versions made from it (<see cref="RevokeDerivedFromVersionAsync"/>).
    /// </summary>
    public static string? ReasonToRevokeDerived(object sourceEvent) => sourceEvent switch
    {
        DatasetWithdrawn w => "source-dataset-withdrawn:" + DatasetView.Token(w.Reason),
        DatasetRestricted r => "source-dataset-restricted:" + DatasetView.Token(r.Reason),
        _ => null,
    };

    /// <summary>The reason of a grant on a version made from a source version withdrawn alone.</summary>
    public static string SourceVersionWithdrawn(WithdrawalReason reason) => "source-" + VersionWithdrawn(reason);

    /// <summary>Pure: the nearest withdrawn version that <paramref name="version"/> of <paramref name="dataset"/> came from, or null.</summary>
    public static AncestorVersion? WithdrawnSourceVersion(Dataset dataset, int version, IReadOnlyList<DerivationSource> sources) =>
        sources.Count == 0 ? null : VersionLineage.Of(dataset, version, sources).FirstOrDefault(a => a.VersionWithdrawal is not null);

    /// <summary>Pure: whether a grant on a dataset derived from <paramref name="sourceId"/> is on a version made from its withdrawn version.</summary>
    private static bool MadeFrom(Grant grant, Guid sourceId, DatasetVersionWithdrawn withdrawn, IReadOnlyDictionary<Guid, Dataset> known) =>
        VersionLineage.DerivesFrom(grant.DatasetId, grant.DatasetVersion, sourceId, withdrawn.Number, known);

    private static async Task<IEnumerable<(Grant Grant, string? Reason)>> RevokeDerivedFromVersionAsync(
        IQuerySession session, Guid sourceId, DatasetVersionWithdrawn withdrawn, DateTimeOffset now, CancellationToken ct)
    {
        var derived = await DerivedDatasets.FindAsync(session, sourceId, ct);
        if (derived.Count == 0 || await session.LoadAsync<DatasetView>(sourceId, ct) is not { } source)
        {
            return [];
        }
        var ids = derived.Select(d => d.View.Id).ToArray();
        var known = derived.ToDictionary(d => d.View.Id, d => d.View.State);
        known[sourceId] = source.State;
        var reason = SourceVersionWithdrawn(withdrawn.Reason);
        return (await ActiveAsync(session, g => g.DatasetId.IsOneOf(ids), now, ct))
            .Where(g => MadeFrom(g, sourceId, withdrawn, known))
            .Select(g => (g, (string?)reason));
    }
}
