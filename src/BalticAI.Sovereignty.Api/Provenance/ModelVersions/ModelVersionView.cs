namespace BalticAI.Sovereignty.Api.Provenance.ModelVersions;

/// <summary>Why a model version is flagged: an upstream dataset was withdrawn or restricted (rule 11).</summary>
public sealed record ModelFlag(Guid DatasetId, string Reason, int Depth, Guid? CauseEventId, DateTimeOffset FlaggedAt);

/// <summary>A model version as its stream leaves it (inline snapshot): everything provenance answers with.</summary>
public sealed record ModelVersionView(
    Guid Id,
    string ModelId,
    string Version,
    string Digest,
    string? Licence,
    Guid JobId,
    Guid? RunId,
    string TrainingSystem,
    string Operator,
    Guid SiteId,
    string SiteCountry,
    bool GeneralPurposeModel,
    BaseModelLink? BaseModel,
    IReadOnlyList<UpstreamDataset> Upstream,
    ModelRestrictions Restrictions,
    DateTimeOffset RegisteredAt,
    IReadOnlyList<string> Countries,
    IReadOnlyList<ModelFlag> Flags)
{
    public bool IsFlagged => Flags.Count > 0;

    public static ModelVersionView Create(ModelVersionRegistered e) => new(
        e.ModelVersionId, e.ModelId, e.Version, e.Digest, e.Licence, e.JobId, e.RunId, e.TrainingSystem, e.Operator, e.SiteId, e.SiteCountry,
        e.GeneralPurposeModel, e.BaseModel, e.Upstream, e.Restrictions, e.RegisteredAt, e.Countries, []);

    public ModelVersionView Apply(ModelVersionFlagged e) => this with
    {
        Flags = [.. Flags, new ModelFlag(e.DatasetId, e.Reason, e.Depth, e.CauseEventId, e.FlaggedAt)],
    };

    public ModelVersionView Apply(ModelVersionUnflagged e) => this with
    {
        Flags = Flags.Where(f => f.DatasetId != e.DatasetId || !e.Reasons.Contains(f.Reason)).ToList(),
    };

    /// <summary>A flag for this dataset and reason is already recorded (redelivery, or flagged at registration).</summary>
    public bool IsFlaggedFor(Guid datasetId, string reason) => Flags.Any(f => f.DatasetId == datasetId && f.Reason == reason);
}
