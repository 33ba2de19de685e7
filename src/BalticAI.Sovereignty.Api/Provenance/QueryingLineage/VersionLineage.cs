using BalticAI.Sovereignty.Api.Datasets;

namespace BalticAI.Sovereignty.Api.Provenance.QueryingLineage;

/// <summary>
/// A version of a dataset that a dataset version was made from, <paramref name="Distance"/> derivations up, with the
/// dataset's current state; <paramref name="Version"/> is null when the source had no version yet when the derived one was
/// published (only the dataset's own status then speaks for it).
/// </summary>
public sealed record AncestorVersion(Guid DatasetId, int? Version, int Distance, Dataset State)
{
    /// <summary>The withdrawal of this version alone, or null while it stands (or no version is known).</summary>
    public Withdrawal? VersionWithdrawal => Version is { } number ? State.WithdrawalOf(number) : null;

    /// <summary>The dataset's status, or `withdrawn` for a version withdrawn alone from an active dataset.</summary>
    public string Status => State.Status == DatasetStatus.Active && VersionWithdrawal is not null
        ? DatasetView.Token(DatasetStatus.Withdrawn)
        : DatasetView.Token(State.Status);
}

/// <summary>
/// Which source versions a dataset version came from. A version names them when it is published
/// (`derivedFrom` of POST /datasets/{id}/versions); for a source it names none of (versions published before
/// versions could name them, or an owner who does not know), it may have come from any version of that source
/// published up to its own publication, and all of them count (fail closed: a withdrawn one among them stops it).
/// </summary>
public static class VersionLineage
{
    /// <summary>
    /// Pure: the ancestor versions of <paramref name="version"/> of <paramref name="dataset"/>, transitively and nearest
    /// first, through the datasets in <paramref name="sources"/> (as <see cref="DerivedDatasets.SourcesAsync"/> finds
    /// them; a source not among them is not followed). Each ancestor version is listed once, at its nearest distance.
    /// </summary>
    public static IReadOnlyList<AncestorVersion> Of(Dataset dataset, int version, IEnumerable<DerivationSource> sources)
    {
        var known = sources.GroupBy(s => s.DatasetId).ToDictionary(g => g.Key, g => g.First().State);
        known.TryAdd(dataset.Id, dataset);
        return Of(dataset.Id, version, known);
    }

    /// <summary>Pure: as above, for any dataset among <paramref name="known"/> (its sources too).</summary>
    public static IReadOnlyList<AncestorVersion> Of(Guid datasetId, int version, IReadOnlyDictionary<Guid, Dataset> known)
    {
        var found = new List<AncestorVersion>();
        var seen = new HashSet<(Guid, int?)> { (datasetId, version) };
        var frontier = new List<(Guid DatasetId, int? Version)> { (datasetId, version) };
        for (var distance = 1; frontier.Count > 0; distance++)
        {
            var next = new List<(Guid, int?)>();
            foreach (var (id, number) in frontier)
            {
                if (!known.TryGetValue(id, out var derived))
                {
                    continue;
                }
                foreach (var source in derived.Terms.Lineage.DerivedFrom)
                {
                    if (!known.TryGetValue(source, out var state))
                    {
                        continue;
                    }
                    foreach (var sourceVersion in SourceVersions(derived, number, state).Where(v => seen.Add((source, v))))
                    {
                        found.Add(new AncestorVersion(source, sourceVersion, distance, state));
                        next.Add((source, sourceVersion));
                    }
                }
            }
            frontier = next;
        }
        return found;
    }

    /// <summary>Pure: whether <paramref name="version"/> of dataset <paramref name="datasetId"/> came from that version of <paramref name="sourceId"/>.</summary>
    public static bool DerivesFrom(Guid datasetId, int version, Guid sourceId, int sourceVersion, IReadOnlyDictionary<Guid, Dataset> known) =>
        Of(datasetId, version, known).Any(a => a.DatasetId == sourceId && a.Version == sourceVersion);

    /// <summary>
    /// The versions of <paramref name="source"/> that <paramref name="number"/> of <paramref name="derived"/> may have
    /// come from: those it names, else every one published by its publication, else (no such version, or the derived
    /// version is not known) one entry without a version.
    /// </summary>
    private static IEnumerable<int?> SourceVersions(Dataset derived, int? number, Dataset source)
    {
        var published = number is { } n ? derived.Versions.FirstOrDefault(v => v.Number == n) : null;
        var named = published?.DerivedFrom.Where(d => d.DatasetId == source.Id).Select(d => (int?)d.Version).ToList() ?? [];
        if (named.Count > 0)
        {
            return named;
        }
        var possible = source.Versions
            .Where(v => published is null || v.PublishedAt <= published.PublishedAt)
            .Select(v => (int?)v.Number)
            .ToList();
        return possible.Count > 0 ? possible : [null];
    }
}
