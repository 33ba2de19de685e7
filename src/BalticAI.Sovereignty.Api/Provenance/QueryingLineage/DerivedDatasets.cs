using BalticAI.Sovereignty.Api.Datasets;
using Marten;

namespace BalticAI.Sovereignty.Api.Provenance.QueryingLineage;

/// <summary>A dataset registered as derived (`lineage.derivedFrom`) from the one asked about, directly (depth 1) or through other derived ones.</summary>
public sealed record DerivedDataset(Guid DatasetId, Guid DerivedFrom, int Depth, string Status);

/// <summary>
/// What a model trained on a derived dataset read came, in part, from its source: dataset lineage follows
/// `lineage.derivedFrom` downwards, level by level, with one containment query per dataset (the dataset
/// documents' GIN index answers it).
/// </summary>
public static class DerivedDatasets
{
    /// <summary>Derivation chains deeper than this are not followed (each level is a query per dataset).</summary>
    public const int MaxDepth = 8;

    public static async Task<IReadOnlyList<(DatasetView View, Guid DerivedFrom, int Depth)>> FindAsync(IQuerySession session, Guid source, CancellationToken ct)
    {
        // Terms amended later can make a cycle: a dataset already seen is not followed again.
        var seen = new HashSet<Guid> { source };
        var found = new List<(DatasetView View, Guid DerivedFrom, int Depth)>();
        var frontier = new List<Guid> { source };
        for (var depth = 1; frontier.Count > 0 && depth <= MaxDepth; depth++)
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
}
