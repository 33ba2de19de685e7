using UUIDNext;

namespace BalticAI.Sovereignty.Api.Provenance;

/// <summary>
/// How OpenLineage names broker objects (docs/provenance.md): the job is the broker's training job,
/// inputs are broker dataset versions, outputs in the model namespace are model versions.
/// </summary>
public static class LineageNames
{
    public const string JobNamespace = "balticai://training-jobs";
    public const string DatasetNamespace = "balticai://datasets";
    public const string ModelNamespace = "balticai://models";

    /// <summary>The OpenLineage DatasetVersionDatasetFacet.</summary>
    public const string VersionFacet = "version";

    /// <summary>The broker's custom facet on model outputs: digest and base model.</summary>
    public const string ModelFacet = "balticai_model";

    private static readonly Guid ModelVersionNamespace = new("0b6f6c4e-5d1a-4f7e-9a51-6d0e3c1b7a01");
    private static readonly Guid ViolationNamespace = new("0b6f6c4e-5d1a-4f7e-9a51-6d0e3c1b7a02");

    /// <summary>A model version's stream id, derived from its public key so both routes find the same stream.</summary>
    public static Guid ModelVersionId(string modelId, string version) => Uuid.NewNameBased(ModelVersionNamespace, modelId + "@" + version);

    /// <summary>A violation's stream id, derived from the refused report so a repeated report is recorded once.</summary>
    public static Guid ViolationId(Guid jobId, string contentDigest) => Uuid.NewNameBased(ViolationNamespace, jobId.ToString("N") + ":" + contentDigest);

    public static string DatasetRef(Guid datasetId, int version) => $"dataset {datasetId} version {version}";

    public static string ModelRef(string modelId, string version) => $"model {modelId} version {version}";
}
