using BalticAI.Sovereignty.Api.Ledger;

namespace BalticAI.Sovereignty.Api.Datasets;

// The dataset stream's events. Each carries the countries it concerns (origin, storage, owner) so
// regulator feeds can route it without reading the stream; the acting organisation is in the headers.
// Event bodies hold no personal data: free text is marked and kept out of regulator feeds.

public sealed record DatasetRegistered(
    Guid DatasetId,
    string Owner,
    string OwnerCountry,
    DatasetTerms Terms,
    DateTimeOffset RegisteredAt,
    IReadOnlyCollection<string> Countries) : ILedgerEvent;

/// <summary>`DerivedFrom`: the source versions it was made from; null in versions published before a version could name them.</summary>
public sealed record DatasetVersionPublished(
    Guid DatasetId,
    int Number,
    string Digest,
    long SizeBytes,
    long? Tokens,
    IReadOnlyList<string> Languages,
    [property: FreeText] string? Notes,
    DateTimeOffset PublishedAt,
    IReadOnlyCollection<string> Countries,
    IReadOnlyList<SourceVersion>? DerivedFrom = null) : ILedgerEvent;

/// <summary>The complete terms after the amendment, so a reader never has to replay patches.</summary>
public sealed record DatasetTermsAmended(
    Guid DatasetId,
    DatasetTerms Terms,
    IReadOnlyList<string> ChangedFields,
    DateTimeOffset AmendedAt,
    IReadOnlyCollection<string> Countries) : ILedgerEvent;

public sealed record DatasetRestricted(
    Guid DatasetId,
    RestrictionReason Reason,
    [property: FreeText] string? Note,
    DateTimeOffset RestrictedAt,
    IReadOnlyCollection<string> Countries) : ILedgerEvent;

public sealed record DatasetRestrictionLifted(
    Guid DatasetId,
    RestrictionLiftReason Reason,
    [property: FreeText] string? Note,
    DateTimeOffset LiftedAt,
    IReadOnlyCollection<string> Countries) : ILedgerEvent;

public sealed record DatasetWithdrawn(
    Guid DatasetId,
    WithdrawalReason Reason,
    [property: FreeText] string? Note,
    DateTimeOffset WithdrawnAt,
    IReadOnlyCollection<string> Countries) : ILedgerEvent;

/// <summary>
/// One version withdrawn for good (records erased from the data, consent withdrawn for part of it...): the dataset and
/// its other versions stay. `Number` is the version's: Marten would fill a member named `Version` with the stream's.
/// </summary>
public sealed record DatasetVersionWithdrawn(
    Guid DatasetId,
    int Number,
    WithdrawalReason Reason,
    [property: FreeText] string? Note,
    DateTimeOffset WithdrawnAt,
    IReadOnlyCollection<string> Countries) : ILedgerEvent;

/// <summary>
/// A dataset this one derives from (directly or through others, <paramref name="Depth"/> derivations up) was withdrawn or
/// restricted, or a version that versions of this one were made from was withdrawn (rule 11). <paramref name="Versions"/>
/// are this dataset's versions it reaches (all those published, for the source's own withdrawal or restriction);
/// <paramref name="SourceVersion"/> is the withdrawn version, null for the whole source. The reason is worded as a model
/// version's flag; the cause is the source event's id, or this dataset's own event (registration, version, amended
/// terms) that linked it to a source already withdrawn or restricted.
/// </summary>
public sealed record DerivedDatasetFlagged(
    Guid DatasetId,
    Guid SourceDatasetId,
    int? SourceVersion,
    IReadOnlyList<int> Versions,
    string Reason,
    Guid CauseEventId,
    int Depth,
    DateTimeOffset FlaggedAt,
    IReadOnlyCollection<string> Countries) : ILedgerEvent;

/// <summary>The restriction of a source was lifted: the flags it put on this derived dataset are cleared (their events stay as history).</summary>
public sealed record DerivedDatasetUnflagged(
    Guid DatasetId,
    Guid SourceDatasetId,
    IReadOnlyList<string> Reasons,
    Guid CauseEventId,
    DateTimeOffset UnflaggedAt,
    IReadOnlyCollection<string> Countries) : ILedgerEvent;
