using BalticAI.Sovereignty.Api.Infrastructure.Identity;

namespace BalticAI.Sovereignty.Api.Datasets;

/// <summary>A dataset as clients read it; `version` is also sent as the ETag.</summary>
/// <param name="Id">The broker's id of the dataset (UUID v7).</param>
/// <param name="Owner">The owner organisation, from the registering data owner's tenant.</param>
/// <param name="OwnerCountry">The owner organisation's country (ISO 3166-1 alpha-2).</param>
/// <param name="Status">active, restricted or withdrawn.</param>
/// <param name="Version">The dataset's revision, sent as its ETag for If-Match (it counts the dataset's events). Not a data version: those are `latestVersion.number` and `GET /datasets/{id}/versions`.</param>
/// <param name="VersionCount">How many data versions are published.</param>
/// <param name="Countries">The countries the dataset concerns now: origin, storage and owner country.</param>
/// <param name="RegisteredAt">When the dataset was registered.</param>
/// <param name="UpdatedAt">When its last event was recorded.</param>
/// <param name="Terms">Everything the owner declares about it.</param>
/// <param name="LatestVersion">The newest published data version; null before the first.</param>
/// <param name="Restriction">Why and since when it is restricted; null when it is not.</param>
/// <param name="Withdrawal">Why and when it was withdrawn; null when it was not.</param>
/// <param name="Flags">What the withdrawal or restriction of a dataset it derives from (or of a version its versions were made from) put on it, rule 11; its own status stays as its owner set it.</param>
public sealed record DatasetResponse(
    Guid Id,
    string Owner,
    string OwnerCountry,
    DatasetStatus Status,
    long Version,
    IReadOnlyCollection<string> Countries,
    DateTimeOffset RegisteredAt,
    DateTimeOffset UpdatedAt,
    DatasetTerms Terms,
    int VersionCount,
    DatasetVersion? LatestVersion,
    Restriction? Restriction,
    Withdrawal? Withdrawal,
    IReadOnlyList<DatasetFlag> Flags)
{
    public static DatasetResponse From(Dataset state, long version) => new(
        state.Id, state.Owner, state.OwnerCountry, state.Status, version, state.Countries, state.RegisteredAt, state.UpdatedAt,
        state.Terms, state.Versions.Count, state.Versions.Count > 0 ? state.Versions[^1] : null, state.Restriction, state.Withdrawal, state.Flags);

    public static string Location(Guid id) => $"/datasets/{id}";
}

/// <summary>
/// Who may read dataset metadata: every role, except that a caller who is only a Regulator sees the
/// datasets concerning its own country, now or at any earlier event, i.e. every dataset its feed told it
/// about (the EU AI Office sees all). Others' datasets look absent (404),
/// so a regulator cannot probe which ids exist elsewhere.
/// </summary>
public static class DatasetReadAccess
{
    public static bool IsLimitedToOwnCountry(Caller caller) =>
        !caller.ReadsAllCountries && caller.Roles.Where(r => Roles.All.Contains(r)).All(r => r == Roles.Regulator);

    public static bool CanRead(Caller caller, DatasetView view) =>
        !IsLimitedToOwnCountry(caller) || view.Concerned(caller.Country);
}
