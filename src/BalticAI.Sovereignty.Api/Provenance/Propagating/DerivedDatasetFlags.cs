using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Ledger;
using BalticAI.Sovereignty.Api.Provenance.QueryingLineage;
using JasperFx.Events;

namespace BalticAI.Sovereignty.Api.Provenance.Propagating;

/// <summary>
/// Rule 11 on the datasets themselves: a withdrawal or restriction flags every dataset derived from the source (all its
/// versions), a version's withdrawal those with versions made from it (those versions), and lifting a restriction clears
/// the flags it put. Each event goes on the derived dataset's stream, so its owner, its readers and the regulators of
/// its countries (and of the source's) see it.
/// </summary>
public static class DerivedDatasetFlags
{
    /// <summary>
    /// Pure: the events a source's event appends to the derived datasets, skipping those flagged for it already.
    /// <paramref name="derived"/>: the derived datasets as they stand; <paramref name="source"/>: the source's state (which
    /// of its versions a derived version came from is read from it).
    /// </summary>
    public static IReadOnlyList<(Guid DatasetId, object Event)> Of(
        IEvent sourceEvent, IReadOnlyDictionary<Guid, Dataset> derived, IReadOnlyDictionary<Guid, int> depths, Dataset? source, DateTimeOffset now)
    {
        var sourceId = sourceEvent.StreamId;
        var ordered = derived.Values.OrderBy(d => depths.GetValueOrDefault(d.Id)).ThenBy(d => d.Id).ToList();
        if (sourceEvent.Data is DatasetRestrictionLifted)
        {
            return ordered
                .Select(d => (Dataset: d, Reasons: d.Flags.Where(f => f.SourceDatasetId == sourceId && FlagReasons.IsRestriction(f.Reason)).Select(f => f.Reason).Distinct().ToList()))
                .Where(u => u.Reasons.Count > 0)
                .Select(u => (u.Dataset.Id, (object)new DerivedDatasetUnflagged(u.Dataset.Id, sourceId, u.Reasons, sourceEvent.Id, now, Concerned(u.Dataset, sourceEvent))))
                .ToList();
        }
        if (FlagReasons.Of(sourceEvent.Data) is not { } reason)
        {
            return [];
        }
        var sourceVersion = (sourceEvent.Data as DatasetVersionWithdrawn)?.Number;
        var known = derived.ToDictionary();
        if (source is not null)
        {
            known[sourceId] = source;
        }
        var flags = new List<(Guid, object)>();
        foreach (var dataset in ordered.Where(d => !d.IsFlaggedFor(sourceId, reason, sourceVersion)))
        {
            var versions = dataset.Versions
                .Where(v => sourceVersion is not { } number || VersionLineage.DerivesFrom(dataset.Id, v.Number, sourceId, number, known))
                .Select(v => v.Number)
                .ToList();
            if (sourceVersion is null || versions.Count > 0)
            {
                flags.Add((dataset.Id, new DerivedDatasetFlagged(dataset.Id, sourceId, sourceVersion, versions, reason, sourceEvent.Id,
                    depths.GetValueOrDefault(dataset.Id), now, Concerned(dataset, sourceEvent))));
            }
        }
        return flags;
    }

    /// <summary>
    /// Pure: the flags a derived dataset's own event (its registration, a published version, amended terms) calls for,
    /// when it links the dataset to a source that is already withdrawn or restricted, or a version to a source version
    /// already withdrawn; only what its flags do not cover yet (a version published later gets a flag of its own).
    /// <paramref name="sources"/>: its sources as they stand (<see cref="DerivedDatasets.SourcesAsync"/>).
    /// </summary>
    public static IReadOnlyList<DerivedDatasetFlagged> OnLineage(IEvent derivedEvent, Dataset derived, IReadOnlyList<DerivationSource> sources, DateTimeOffset now)
    {
        var all = derived.Versions.Select(v => v.Number).ToList();
        var reached = sources
            .Select(s => (Source: s.DatasetId, SourceVersion: (int?)null, Reason: FlagReasons.Of(s.State), Depth: s.Distance, Versions: all, s.State))
            .Where(s => s.Reason is not null);
        var withdrawnVersions = derived.Versions
            .SelectMany(v => VersionLineage.Of(derived, v.Number, sources)
                .Where(a => a.State.Status == DatasetStatus.Active && a.VersionWithdrawal is not null)
                .Select(a => (Ancestor: a, Version: v.Number)))
            .GroupBy(x => (x.Ancestor.DatasetId, x.Ancestor.Version))
            .Select(g => (Source: g.Key.DatasetId, SourceVersion: g.Key.Version, Reason: FlagReasons.Of(g.First().Ancestor),
                Depth: g.Min(x => x.Ancestor.Distance), Versions: g.Select(x => x.Version).Distinct().Order().ToList(), g.First().Ancestor.State));
        var flags = new List<DerivedDatasetFlagged>();
        foreach (var (source, sourceVersion, reason, depth, versions, state) in reached.Concat(withdrawnVersions))
        {
            var earlier = derived.Flags.Where(f => f.SourceDatasetId == source && f.Reason == reason && f.SourceVersion == sourceVersion).ToList();
            var covered = earlier.SelectMany(f => f.Versions).ToHashSet();
            var uncovered = versions.Where(v => !covered.Contains(v)).ToList();
            if (earlier.Count == 0 || uncovered.Count > 0)
            {
                flags.Add(new DerivedDatasetFlagged(derived.Id, source, sourceVersion, uncovered, reason!, derivedEvent.Id, depth, now,
                    derived.Countries.Union(state.Countries).Order(StringComparer.Ordinal).ToList()));
            }
        }
        return flags;
    }

    /// <summary>The derived dataset's countries and the source's: the data originate there.</summary>
    private static IReadOnlyCollection<string> Concerned(Dataset dataset, IEvent sourceEvent) =>
        dataset.Countries.Union((sourceEvent.Data as ILedgerEvent)?.Countries ?? []).Order(StringComparer.Ordinal).ToList();
}
