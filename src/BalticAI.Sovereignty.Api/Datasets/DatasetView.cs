using System.Globalization;
using System.Text.Json;
using Marten.Events.Aggregation;

namespace BalticAI.Sovereignty.Api.Datasets;

/// <summary>
/// The read model of one dataset, kept in the same transaction as its events (inline projection).
/// Beside the state it keeps the values the list filters on, as plain strings so they can be
/// indexed and compared whatever the serializer's enum settings.
/// </summary>
public sealed record DatasetView
{
    public Guid Id { get; init; }

    /// <summary>
    /// The stream version, i.e. the dataset's ETag, counted event by event. Not named Version: Marten
    /// overwrites a Version member with IEvent.Version, which quick appends leave at 0 inline.
    /// </summary>
    public long Revision { get; init; }

    /// <summary>Registration time then id, fixed-width, so the list has a stable total order and a cursor.</summary>
    public string SortKey { get; init; } = "";
    public string Owner { get; init; } = "";
    public string Status { get; init; } = "";
    public string SourceType { get; init; } = "";
    public string[] Countries { get; init; } = [];

    /// <summary>
    /// Every country any of the dataset's events concerned, so its regulator's feed carried them. A regulator
    /// keeps reading a dataset its feed told it about after the storage moves out of its country. Rows
    /// written before this member existed hold only what they concern from their next event on.
    /// </summary>
    public string[] ReportedCountries { get; init; } = [];

    /// <summary>
    /// The revision of the last terms amendment (0: none, or recorded before this member existed). A grant whose decision
    /// read an earlier revision and committed after the amendment's re-decisions is decided again (GrantRevoker).
    /// </summary>
    public long TermsAmendedInRevision { get; init; }

    public required Dataset State { get; init; }

    public static DatasetView Of(Dataset state, long version) => new()
    {
        Id = state.Id,
        Revision = version,
        SortKey = SortKeyOf(state.RegisteredAt, state.Id),
        Owner = state.Owner,
        Status = Token(state.Status),
        SourceType = Token(state.Terms.Origin.SourceType),
        Countries = [.. state.Countries],
        ReportedCountries = [.. state.Countries],
        State = state,
    };

    public DatasetView Next(Dataset state) => Of(state, Revision + 1) with
    {
        TermsAmendedInRevision = TermsAmendedInRevision,
        ReportedCountries = [.. new SortedSet<string>(ReportedCountries.Concat(Countries).Concat(state.Countries), StringComparer.Ordinal)],
    };

    /// <summary>Whether the dataset concerns <paramref name="country"/> now or did at any earlier event.</summary>
    public bool Concerned(string country) => Countries.Contains(country) || ReportedCountries.Contains(country);

    public static string SortKeyOf(DateTimeOffset registeredAt, Guid id) =>
        registeredAt.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + ":" + id.ToString("N");

    /// <summary>The wire form of an enum value (kebab-case), as clients send it in filters.</summary>
    public static string Token<TEnum>(TEnum value) where TEnum : struct, Enum =>
        JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());
}

public sealed class DatasetViewProjection : SingleStreamProjection<DatasetView, Guid>
{
    public static DatasetView Create(DatasetRegistered e) => DatasetView.Of(Dataset.Create(e), 1);

    public static DatasetView Apply(DatasetVersionPublished e, DatasetView view) => view.Next(view.State.Apply(e));

    public static DatasetView Apply(DatasetTermsAmended e, DatasetView view) => view.Next(view.State.Apply(e)) with { TermsAmendedInRevision = view.Revision + 1 };

    public static DatasetView Apply(DatasetRestricted e, DatasetView view) => view.Next(view.State.Apply(e));

    public static DatasetView Apply(DatasetRestrictionLifted e, DatasetView view) => view.Next(view.State.Apply(e));

    public static DatasetView Apply(DatasetWithdrawn e, DatasetView view) => view.Next(view.State.Apply(e));

    public static DatasetView Apply(DatasetVersionWithdrawn e, DatasetView view) => view.Next(view.State.Apply(e));

    public static DatasetView Apply(DerivedDatasetFlagged e, DatasetView view) => view.Next(view.State.Apply(e));

    public static DatasetView Apply(DerivedDatasetUnflagged e, DatasetView view) => view.Next(view.State.Apply(e));
}
