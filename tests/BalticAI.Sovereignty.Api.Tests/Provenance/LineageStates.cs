using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Decisions;

namespace BalticAI.Sovereignty.Api.Tests.Provenance;

/// <summary>Dataset states for the pure lineage tests: datasets of pl-mc derived from others, with versions that name their sources.</summary>
public static class LineageStates
{
    public static Dictionary<Guid, Dataset> Known(params Dataset[] datasets) => datasets.ToDictionary(d => d.Id);

    /// <summary>Version <paramref name="number"/>, published at <paramref name="at"/>, naming the source versions it was made from.</summary>
    public static DatasetVersion Version(int number, DateTimeOffset at, params (Guid Dataset, int Version)[] from) =>
        new(number, DatasetApi.Digest1, 1_000, null, ["pl"], null, at) { DerivedFrom = [.. from.Select(f => new SourceVersion(f.Dataset, f.Version))] };

    /// <summary>An active dataset whose terms derive it from <paramref name="derivedFrom"/>, with <paramref name="versions"/>.</summary>
    public static Dataset Dataset(IReadOnlyList<Guid> derivedFrom, params DatasetVersion[] versions)
    {
        var registered = versions.Length == 0 ? new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero) : versions.Min(v => v.PublishedAt).AddDays(-1);
        return new(Guid.NewGuid(), "pl-mc", "PL",
            RecordedDatasets.MinimalTerms() with { Lineage = new LineageTerms { DerivedFrom = derivedFrom } },
            DatasetStatus.Active, versions, null, null, registered, registered);
    }
}
