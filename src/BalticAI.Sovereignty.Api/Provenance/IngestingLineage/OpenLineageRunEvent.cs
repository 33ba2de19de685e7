using System.Text.Json;

namespace BalticAI.Sovereignty.Api.Provenance.IngestingLineage;

/// <summary>An OpenLineage RunEvent, the parts the broker reads (schemas/openlineage-run-event.schema.json).</summary>
public sealed record OpenLineageRunEvent(
    string EventType,
    DateTimeOffset EventTime,
    OpenLineageRun Run,
    OpenLineageJob Job,
    IReadOnlyList<OpenLineageDataset>? Inputs,
    IReadOnlyList<OpenLineageDataset>? Outputs,
    string Producer,
    string SchemaUrl);

public sealed record OpenLineageRun(Guid RunId);

public sealed record OpenLineageJob(string Namespace, string Name);

public sealed record OpenLineageDataset(string Namespace, string Name, IReadOnlyDictionary<string, JsonElement>? Facets)
{
    public bool IsBrokerDataset => Namespace == LineageNames.DatasetNamespace;

    public bool IsModel => Namespace == LineageNames.ModelNamespace;

    /// <summary>facets.version.datasetVersion (the schema requires it for broker datasets and models).</summary>
    public string? Version => Facet(LineageNames.VersionFacet) is { } facet && facet.TryGetProperty("datasetVersion", out var v) ? v.GetString() : null;

    /// <summary>A broker dataset's id and version number; the schema has checked both forms.</summary>
    public (Guid DatasetId, int Version) DatasetVersion => (Guid.Parse(Name), int.Parse(Version!, System.Globalization.CultureInfo.InvariantCulture));

    public string? ModelDigest => Facet(LineageNames.ModelFacet) is { } facet && facet.TryGetProperty("digest", out var d) ? d.GetString() : null;

    public ModelVersionKey? NamedBaseModel =>
        Facet(LineageNames.ModelFacet) is { } facet && facet.TryGetProperty("baseModel", out var b) && b.ValueKind == JsonValueKind.Object
            ? new ModelVersionKey(b.GetProperty("modelId").GetString()!, b.GetProperty("version").GetString()!)
            : null;

    private JsonElement? Facet(string name) =>
        Facets is not null && Facets.TryGetValue(name, out var facet) && facet.ValueKind == JsonValueKind.Object ? facet : null;
}
