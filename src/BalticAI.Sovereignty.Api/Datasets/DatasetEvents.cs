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
