using System.Text.Json;
using Marten;

namespace BalticAI.Sovereignty.Api.Datasets;

/// <summary>
/// Which of the datasets named in `lineage.derivedFrom` exist. Rule 11 flags everything derived from
/// a withdrawn dataset, so a lineage link to a dataset the broker does not know would be lost.
/// </summary>
public static class Lineage
{
    public static async Task<IReadOnlySet<Guid>> KnownAsync(IQuerySession session, IEnumerable<Guid> ids, CancellationToken ct)
    {
        var wanted = ids.Distinct().ToArray();
        if (wanted.Length == 0)
        {
            return new HashSet<Guid>();
        }
        var found = await session.LoadManyAsync<DatasetView>(ct, wanted);
        return found.Select(d => d.Id).ToHashSet();
    }

    /// <summary>The ids a merge patch would set (arrays replace wholesale); malformed ones are left to the schema.</summary>
    public static IEnumerable<Guid> NamedInPatch(JsonElement patch) =>
        patch.ValueKind == JsonValueKind.Object
        && patch.TryGetProperty("lineage", out var lineage) && lineage.ValueKind == JsonValueKind.Object
        && lineage.TryGetProperty("derivedFrom", out var derivedFrom) && derivedFrom.ValueKind == JsonValueKind.Array
            ? derivedFrom.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String && e.TryGetGuid(out _)).Select(e => e.GetGuid())
            : [];
}
