using BalticAI.Sovereignty.Api.Ledger;
using BalticAI.Sovereignty.Api.Provenance.ModelVersions;

namespace BalticAI.Sovereignty.Api.Provenance;

// What training systems report about their runs, and what the broker derives from it. Each event
// carries the countries it concerns (ProvenanceCountries: the job's site, operator and model recipient, its
// training system's, every dataset involved), so the regulator feeds route it like any other ledger event.

/// <summary>A dataset version a run read, with the grants of the job that covered it when reported.</summary>
public sealed record RunInput(Guid DatasetId, int Version, IReadOnlyList<Guid> GrantIds);

/// <summary>An output as the run event named it (a model version, or anything else the run wrote).</summary>
public sealed record RunOutput(string Namespace, string Name, string? Version);

/// <summary>A model version a run event registered, by its public key.</summary>
public sealed record ModelVersionKey(string ModelId, string Version);

/// <summary>
/// A training system reported a state of a run (OpenLineage START, RUNNING, COMPLETE, FAIL or ABORT).
/// The content digest is the SHA-256 of the RFC 8785 form of the event as received.
/// </summary>
public sealed record TrainingRunEventRecorded(
    Guid RunId,
    Guid JobId,
    string EventType,
    DateTimeOffset EventTime,
    string Producer,
    string ContentDigest,
    IReadOnlyList<RunInput> Inputs,
    IReadOnlyList<RunOutput> Outputs,
    IReadOnlyList<ModelVersionKey> ModelVersions,
    DateTimeOffset RecordedAt,
    IReadOnlyList<string> Countries) : ILedgerEvent
{
    IReadOnlyCollection<string> ILedgerEvent.Countries => Countries;
}

/// <summary>An input a run reported that no redeemed grant of its job covered, and why; the field is its JSON Pointer in the report ("" when reported earlier in the run).</summary>
public sealed record UncoveredInput(string Field, string Namespace, string Name, Guid? DatasetId, int? Version, string Reason);

/// <summary>
/// A training system reported reading data its job was not granted: the report was refused and this
/// record kept instead. Its stream id is derived from the report's content, so a repeated report is
/// recorded once.
/// </summary>
public sealed record LineageViolationRecorded(
    Guid ViolationId,
    Guid JobId,
    Guid? RunId,
    string TrainingSystem,
    string Report,
    string ContentDigest,
    IReadOnlyList<UncoveredInput> Uncovered,
    DateTimeOffset RecordedAt,
    IReadOnlyList<string> Countries) : ILedgerEvent
{
    IReadOnlyCollection<string> ILedgerEvent.Countries => Countries;
}

/// <summary>The model version this one was fine-tuned from; registered with the broker or not (external).</summary>
public sealed record BaseModelLink(string ModelId, string Version, Guid? ModelVersionId, string? Licence);

/// <summary>A grant behind an input, with the decision and the policy bundle that allowed it.</summary>
public sealed record GrantTrace(Guid GrantId, Guid DecisionId, string BundleRevision, string BundleDigest, DateTimeOffset DecidedAt);

/// <summary>
/// A dataset version upstream of a model version: read directly (depth 0) or by a base model n
/// fine-tunes up (depth n). <see cref="TrainedInto"/> is the model version whose run read it.
/// </summary>
public sealed record UpstreamDataset(
    Guid DatasetId,
    int Version,
    int Depth,
    Guid TrainedInto,
    Guid JobId,
    Guid? RunId,
    Guid SiteId,
    IReadOnlyList<GrantTrace> Grants,
    IReadOnlyList<string> Countries);

/// <summary>
/// A model version was produced (by a COMPLETE run event or the REST route). The whole upstream is
/// recorded as it stood at registration, so provenance reads one document and never walks the ledger.
/// </summary>
public sealed record ModelVersionRegistered(
    Guid ModelVersionId,
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
    IReadOnlyList<string> Countries) : ILedgerEvent
{
    IReadOnlyCollection<string> ILedgerEvent.Countries => Countries;
}

/// <summary>
/// A dataset upstream of a model version was withdrawn or restricted (rule 11): the model version is
/// flagged. The cause is the dataset event's id (none when the model version was flagged as it was registered).
/// </summary>
public sealed record ModelVersionFlagged(
    Guid ModelVersionId,
    string ModelId,
    string Version,
    Guid DatasetId,
    string Reason,
    Guid? CauseEventId,
    int Depth,
    DateTimeOffset FlaggedAt,
    IReadOnlyList<string> Countries) : ILedgerEvent
{
    IReadOnlyCollection<string> ILedgerEvent.Countries => Countries;
}

/// <summary>
/// The restriction of a dataset upstream of a model version was lifted: the flags that restriction put on
/// the model version are cleared (the flag events stay in the ledger as history). The cause is the
/// lifting event's id.
/// </summary>
public sealed record ModelVersionUnflagged(
    Guid ModelVersionId,
    string ModelId,
    string Version,
    Guid DatasetId,
    IReadOnlyList<string> Reasons,
    Guid CauseEventId,
    DateTimeOffset UnflaggedAt,
    IReadOnlyList<string> Countries) : ILedgerEvent
{
    IReadOnlyCollection<string> ILedgerEvent.Countries => Countries;
}
