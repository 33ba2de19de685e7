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

    /// <summary>
    /// Whether a registration asked for is this one again: the same digest, job and trained-on dataset versions,
    /// and the same run and base model where both sides name one (a version posted over REST before or after its
    /// run's COMPLETE need not repeat them). Anything else acknowledged as this one would drop facts: a dataset
    /// version missing from the upstream is not flagged when it is withdrawn.
    /// </summary>
    public bool IsRegisteredAs(Guid jobId, string digest, Guid? runId, ModelVersionKey? namedBase, IEnumerable<(Guid DatasetId, int Version)> trainedOn) =>
        Digest == digest && JobId == jobId
        && (runId is null || RunId is null || runId == RunId)
        && (namedBase is null || (BaseModel is { } linked && linked.ModelId == namedBase.ModelId && linked.Version == namedBase.Version))
        && Upstream.Where(u => u.Depth == 0).Select(u => (u.DatasetId, u.Version)).ToHashSet().SetEquals(trainedOn);

    /// <summary>A flag for this dataset and reason is already recorded (redelivery, or flagged at registration).</summary>
    public bool IsFlaggedFor(Guid datasetId, string reason) => Flags.Any(f => f.DatasetId == datasetId && f.Reason == reason);
}
