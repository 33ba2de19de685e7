using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.TrainingJobs;
using Marten;

namespace BalticAI.Sovereignty.Api.Provenance.QueryingLineage;

/// <summary>
/// A dataset registered as derived (`lineage.derivedFrom`) from the one asked about, directly (depth 1) or through other
/// derived ones; each of its versions with the versions of the one asked about it came from (named when published, else
/// every one published by then, <see cref="VersionLineage"/>), and the flags its sources put on it.
/// </summary>
public sealed record DerivedDataset(Guid DatasetId, Guid DerivedFrom, int Depth, string Status, IReadOnlyList<DerivedVersion> Versions, IReadOnlyList<DatasetFlag> Flags)
{
    /// <summary>Pure: <paramref name="derived"/> as the lineage of <paramref name="asked"/> shows it; <paramref name="known"/> holds the datasets between them.</summary>
    public static DerivedDataset Of(Guid asked, DatasetView derived, Guid derivedFrom, int depth, IReadOnlyDictionary<Guid, Dataset> known) => new(
        derived.Id, derivedFrom, depth, derived.Status,
        derived.State.Versions.Select(v => new DerivedVersion(v.Number,
            VersionLineage.Of(derived.Id, v.Number, known).Where(a => a.DatasetId == asked && a.Version is not null).Select(a => a.Version!.Value).Order().ToList())).ToList(),
        derived.State.Flags);
}

/// <summary>A derived dataset's version and the versions of the dataset asked about that it came from.</summary>
public sealed record DerivedVersion(int Number, IReadOnlyList<int> FromVersions);

/// <summary>
/// A dataset an upstream dataset was derived from, <paramref name="Distance"/> derivations up, in its current
/// state; <paramref name="Revision"/> is its stream version that state was read at, null for a state the caller passed in.
/// </summary>
public sealed record DerivationSource(Guid DatasetId, int Distance, Dataset State, long? Revision = null);

/// <summary>
/// What a caller may read downstream of a dataset: the derived datasets, the ids of the dataset and those
/// (the dataset first), and the lineage edges of all of them that concern the caller. <paramref name="Chain"/>: the
/// states of the dataset and of every dataset derived from it, also those the caller may not read, through which a
/// readable one's versions came from the dataset's.
/// </summary>
public sealed record ReadableDownstream(
    IReadOnlyList<(DatasetView View, Guid DerivedFrom, int Depth)> Derived, Guid[] DatasetIds, IReadOnlyList<LineageEdge> Edges, IReadOnlyDictionary<Guid, Dataset> Chain);

/// <summary>
/// What a model trained on a derived dataset read came, in part, from its source: dataset lineage follows
/// `lineage.derivedFrom` downwards, level by level, with one containment query per dataset (the dataset
/// documents' GIN index answers it).
/// </summary>
public static class DerivedDatasets
{
    public static async Task<IReadOnlyList<(DatasetView View, Guid DerivedFrom, int Depth)>> FindAsync(IQuerySession session, Guid source, CancellationToken ct)
    {
        // Terms amended later can make a cycle: a dataset already seen is not followed again.
        var seen = new HashSet<Guid> { source };
        var found = new List<(DatasetView View, Guid DerivedFrom, int Depth)>();
        var frontier = new List<Guid> { source };
        // Followed to the end, however deep: a withdrawal must reach every dataset that came from it, and
        // decisions look up the same chains (SourcesAsync). The seen set ends cycles and repeats.
        for (var depth = 1; frontier.Count > 0; depth++)
        {
            var next = new List<Guid>();
            foreach (var parent in frontier)
            {
                var children = await session.Query<DatasetView>().Where(d => d.State.Terms.Lineage.DerivedFrom.Contains(parent)).ToListAsync(ct);
                foreach (var child in children.Where(c => seen.Add(c.Id)).OrderBy(c => c.SortKey, StringComparer.Ordinal))
                {
                    found.Add((child, parent, depth));
                    next.Add(child.Id);
                }
            }
            frontier = next;
        }
        return found;
    }

    /// <summary>
    /// The derived datasets and lineage edges below <paramref name="source"/> that the caller may read; none when it
    /// may read neither the dataset nor a run or model version on it. A regulator whose feed carried a run on another
    /// country's dataset (its country's training system ran it) reads that dataset's lineage, showing what it carried.
    /// </summary>
    public static async Task<ReadableDownstream?> ReadableAsync(IQuerySession session, Caller caller, TenantMap tenants, DatasetView source, CancellationToken ct)
    {
        var found = await FindAsync(session, source.Id, ct);
        var chain = found.Select(d => (d.View.Id, d.View.State)).Append((source.Id, source.State)).ToDictionary(d => d.Id, d => d.State);
        var derived = found.Where(d => ProvenanceReadAccess.CanAudit(caller, d.View)).ToList();
        var datasetIds = derived.Select(d => d.View.Id).Prepend(source.Id).ToArray();
        var all = await session.Query<LineageEdge>().Where(e => datasetIds.Contains(e.DatasetId)).ToListAsync(ct);
        var jobs = await JobsAsync(session, caller, all, ct);
        var edges = all.Where(e => ProvenanceReadAccess.CanAudit(caller, e.Countries, jobs.GetValueOrDefault(e.JobId), tenants)).ToList();
        return ProvenanceReadAccess.CanAudit(caller, source) || edges.Any(e => e.DatasetId == source.Id)
            ? new ReadableDownstream(derived, datasetIds, edges, chain)
            : null;
    }

    /// <summary>
    /// Each job whose edges a regulator could read only through it: older edges list the countries of data, site and
    /// operator, not those of the reporter or the model recipient.
    /// </summary>
    private static async Task<IReadOnlyDictionary<Guid, TrainingJob>> JobsAsync(IQuerySession session, Caller caller, IEnumerable<LineageEdge> edges, CancellationToken ct)
    {
        var jobIds = ProvenanceReadAccess.ReadsEveryCountry(caller)
            ? []
            : edges.Where(e => !e.Countries.Contains(caller.Country, StringComparer.Ordinal)).Select(e => e.JobId).Distinct().ToArray();
        return jobIds.Length == 0
            ? new Dictionary<Guid, TrainingJob>()
            : (await session.LoadManyAsync<TrainingJob>(ct, jobIds)).ToDictionary(j => j.Id);
    }

    /// <summary>
    /// The other way up: for each dataset, the datasets it was derived from, transitively, nearest first,
    /// with their current state. Rule 11 flags a model version whose data came,
    /// through a derivation, from a dataset withdrawn or restricted, as it does one trained on that dataset.
    /// Datasets derived from nothing cost no query.
    /// </summary>
    public static async Task<IReadOnlyDictionary<Guid, IReadOnlyList<DerivationSource>>> SourcesAsync(IQuerySession session, IReadOnlyDictionary<Guid, Dataset> datasets, CancellationToken ct)
    {
        var known = new Dictionary<Guid, Dataset>(datasets);
        var revisions = new Dictionary<Guid, long>();
        var sources = new Dictionary<Guid, IReadOnlyList<DerivationSource>>();
        foreach (var (id, state) in datasets)
        {
            var found = new List<DerivationSource>();
            var seen = new HashSet<Guid> { id };
            var frontier = state.Terms.Lineage.DerivedFrom.ToList();
            for (var distance = 1; frontier.Count > 0; distance++)
            {
                var missing = frontier.Where(f => !known.ContainsKey(f)).Distinct().ToArray();
                if (missing.Length > 0)
                {
                    foreach (var view in await session.LoadManyAsync<DatasetView>(ct, missing))
                    {
                        known[view.Id] = view.State;
                        revisions[view.Id] = view.Revision;
                    }
                }
                var next = new List<Guid>();
                foreach (var source in frontier.Where(seen.Add))
                {
                    if (known.TryGetValue(source, out var sourceState))
                    {
                        found.Add(new DerivationSource(source, distance, sourceState, revisions.TryGetValue(source, out var revision) ? revision : null));
                        next.AddRange(sourceState.Terms.Lineage.DerivedFrom);
                    }
                }
                frontier = next;
            }
            sources[id] = found;
        }
        return sources;
    }
}
