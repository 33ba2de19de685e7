using BalticAI.Sovereignty.Api.Infrastructure.Validation;

namespace BalticAI.Sovereignty.Api.Datasets;

/// <summary>One published version: numbered 1, 2, 3... per dataset, identified by its content digest.</summary>
public sealed record DatasetVersion(int Number, string Digest, long SizeBytes, long? Tokens, IReadOnlyList<string> Languages, string? Notes, DateTimeOffset PublishedAt)
{
    /// <summary>Null while the version may be asked for and released.</summary>
    public Withdrawal? Withdrawal { get; init; }

    /// <summary>The source versions it was made from, as its owner named them; empty when it names none.</summary>
    public IReadOnlyList<SourceVersion> DerivedFrom { get; init; } = [];
}

/// <summary>A version of a dataset named in the terms' `lineage.derivedFrom`, which a derived version was made from.</summary>
public sealed record SourceVersion(Guid DatasetId, int Version);

public sealed record Restriction(RestrictionReason Reason, string? Note, DateTimeOffset Since);

public sealed record Withdrawal(WithdrawalReason Reason, string? Note, DateTimeOffset At);

/// <summary>What a source's withdrawal or restriction (or a source version's withdrawal) put on a derived dataset (rule 11).</summary>
public sealed record DatasetFlag(Guid SourceDatasetId, int? SourceVersion, IReadOnlyList<int> Versions, string Reason, int Depth, Guid CauseEventId, DateTimeOffset FlaggedAt);

/// <summary>
/// A dataset as its events leave it. Immutable: each Apply returns a new state. Marten builds it live
/// from the stream for every write (FetchForWriting), and the read model wraps it (DatasetView).
/// </summary>
public sealed record Dataset(
    Guid Id,
    string Owner,
    string OwnerCountry,
    DatasetTerms Terms,
    DatasetStatus Status,
    IReadOnlyList<DatasetVersion> Versions,
    Restriction? Restriction,
    Withdrawal? Withdrawal,
    DateTimeOffset RegisteredAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The flags its sources put on it; the owner's own status stays as the owner set it.</summary>
    public IReadOnlyList<DatasetFlag> Flags { get; init; } = [];

    /// <summary>Whether a flag for that source, reason and source version is on it already (a redelivery, another node).</summary>
    public bool IsFlaggedFor(Guid source, string reason, int? sourceVersion) =>
        Flags.Any(f => f.SourceDatasetId == source && f.Reason == reason && f.SourceVersion == sourceVersion);

    /// <summary>The countries a dataset concerns: where it originates, where it is stored, its owner's.</summary>
    public IReadOnlyCollection<string> Countries => ConcernedCountries(Terms, OwnerCountry);

    public static IReadOnlyCollection<string> ConcernedCountries(DatasetTerms terms, string ownerCountry) =>
        new SortedSet<string>(StringComparer.Ordinal) { terms.Sovereignty.OriginCountry, terms.Sovereignty.Storage.Country, ownerCountry }.ToList();

    public static Dataset Create(DatasetRegistered e) =>
        new(e.DatasetId, e.Owner, e.OwnerCountry, e.Terms, DatasetStatus.Active, [], null, null, e.RegisteredAt, e.RegisteredAt);

    public Dataset Apply(DatasetVersionPublished e) => this with
    {
        Versions = [.. Versions, new DatasetVersion(e.Number, e.Digest, e.SizeBytes, e.Tokens, e.Languages, e.Notes, e.PublishedAt) { DerivedFrom = e.DerivedFrom ?? [] }],
        UpdatedAt = e.PublishedAt,
    };

    public Dataset Apply(DatasetTermsAmended e) => this with { Terms = e.Terms, UpdatedAt = e.AmendedAt };

    public Dataset Apply(DatasetRestricted e) => this with
    {
        Status = DatasetStatus.Restricted,
        Restriction = new Restriction(e.Reason, e.Note, e.RestrictedAt),
        UpdatedAt = e.RestrictedAt,
    };

    public Dataset Apply(DatasetRestrictionLifted e) => this with { Status = DatasetStatus.Active, Restriction = null, UpdatedAt = e.LiftedAt };

    public Dataset Apply(DatasetWithdrawn e) => this with
    {
        Status = DatasetStatus.Withdrawn,
        Restriction = null,
        Withdrawal = new Withdrawal(e.Reason, e.Note, e.WithdrawnAt),
        UpdatedAt = e.WithdrawnAt,
    };

    public Dataset Apply(DatasetVersionWithdrawn e) => this with
    {
        Versions = [.. Versions.Select(v => v.Number == e.Number ? v with { Withdrawal = new Withdrawal(e.Reason, e.Note, e.WithdrawnAt) } : v)],
        UpdatedAt = e.WithdrawnAt,
    };

    public Dataset Apply(DerivedDatasetFlagged e) => this with
    {
        Flags = [.. Flags, new DatasetFlag(e.SourceDatasetId, e.SourceVersion, e.Versions, e.Reason, e.Depth, e.CauseEventId, e.FlaggedAt)],
        UpdatedAt = e.FlaggedAt,
    };

    public Dataset Apply(DerivedDatasetUnflagged e) => this with
    {
        Flags = [.. Flags.Where(f => f.SourceDatasetId != e.SourceDatasetId || !e.Reasons.Contains(f.Reason))],
        UpdatedAt = e.UnflaggedAt,
    };

    /// <summary>The withdrawal of version <paramref name="number"/>, or null while it stands (or is not published).</summary>
    public Withdrawal? WithdrawalOf(int number) => Versions.FirstOrDefault(v => v.Number == number)?.Withdrawal;

    /// <summary>
    /// Applies any event of an existing dataset, to answer with the state a decision leads to.
    /// Named neither Apply nor Evolve: Marten takes both by convention, and would route every event here.
    /// </summary>
    public Dataset After(object e) => e switch
    {
        DatasetVersionPublished x => Apply(x),
        DatasetTermsAmended x => Apply(x),
        DatasetRestricted x => Apply(x),
        DatasetRestrictionLifted x => Apply(x),
        DatasetWithdrawn x => Apply(x),
        DatasetVersionWithdrawn x => Apply(x),
        DerivedDatasetFlagged x => Apply(x),
        DerivedDatasetUnflagged x => Apply(x),
        _ => throw new ArgumentException($"{e.GetType().Name} is not an event of an existing dataset", nameof(e)),
    };
}

/// <summary>Why a decision refused a command: a state conflict (409), unacceptable content (422) or structure (400).</summary>
public sealed record DatasetError(DatasetErrorKind Kind, FieldErrors Fields, string Message);

public enum DatasetErrorKind { Conflict, Invalid, Malformed, NotFound }

/// <summary>The outcome of a pure decision: events to append, or an error and nothing appended.</summary>
public sealed record Decision(IReadOnlyList<object> Events, DatasetError? Error)
{
    public static Decision Of(params object[] events) => new(events, null);

    public static Decision Conflict(string message) => new([], new DatasetError(DatasetErrorKind.Conflict, new FieldErrors(), message));

    /// <summary>A part of the dataset the route names (a version) does not exist: 404.</summary>
    public static Decision NotFound(string message) => new([], new DatasetError(DatasetErrorKind.NotFound, new FieldErrors(), message));

    public static Decision Invalid(string field, string message) => Invalid(FieldErrors.Of(field, message));

    public static Decision Invalid(FieldErrors fields) => new([], new DatasetError(DatasetErrorKind.Invalid, fields, ""));

    public static Decision Malformed(FieldErrors fields) => new([], new DatasetError(DatasetErrorKind.Malformed, fields, ""));
}
