using System.Text;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Infrastructure.Validation;
using BalticAI.Sovereignty.Security;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Datasets.ListingDatasets;

/// <summary>
/// Lists datasets in registration order (time, then id) with an opaque cursor, so pages neither
/// skip nor repeat a dataset while others register new ones.
/// </summary>
public static class ListDatasets
{
    /// <summary>One dataset of a list page.</summary>
    /// <param name="Id">The broker's id of the dataset (UUID v7).</param>
    /// <param name="Title">The title in its terms.</param>
    /// <param name="Owner">The owner organisation.</param>
    /// <param name="OwnerCountry">The owner organisation's country.</param>
    /// <param name="OriginCountry">Where the data originate.</param>
    /// <param name="SourceType">public, licensed, private, crawled, user or synthetic.</param>
    /// <param name="Status">active, restricted or withdrawn.</param>
    /// <param name="Version">The dataset's revision, as in its ETag (it counts the dataset's events). Not a data version: access requests name `latestVersion.number`.</param>
    /// <param name="VersionCount">How many data versions are published.</param>
    /// <param name="LatestVersion">The newest published data version (its number and digest are what an access request and a release name); null before the first.</param>
    /// <param name="Countries">The countries the dataset concerns now.</param>
    /// <param name="RegisteredAt">When the dataset was registered.</param>
    public sealed record DatasetSummary(
        Guid Id, string Title, string Owner, string OwnerCountry, string OriginCountry, SourceType SourceType,
        DatasetStatus Status, long Version, int VersionCount, DatasetVersion? LatestVersion, IReadOnlyCollection<string> Countries, DateTimeOffset RegisteredAt);

    public sealed record DatasetPage(IReadOnlyList<DatasetSummary> Items, string? Next);

    public static IEndpointRouteBuilder MapListDatasets(this IEndpointRouteBuilder app)
    {
        app.MapGet("/datasets", HandleAsync)
            .RequireAuthorization(policy => policy.RequireRole(Roles.All))
            .WithName("ListDatasets")
            .WithTags("Datasets")
            .WithSummary("Datasets, filtered by concerned country, owner organisation, status and source type")
            .WithDescription("Ordered by registration time then id. Pass `next` back as `cursor` for the following page. `country` matches origin, storage or owner country. Regulators see only their country's datasets.");
        return app;
    }

    private static async Task<Results<Ok<DatasetPage>, ProblemHttpResult>> HandleAsync(
        HttpContext http, Caller caller, IQuerySession session,
        string? country, string? owner, string? status, string? sourceType, string? cursor, int? limit)
    {
        var errors = new FieldErrors();
        country = CountryFilter.Read(country, "country", errors);
        PageQuery.CheckOrganisation("owner", owner, errors);
        CheckToken<DatasetStatus>("status", status, errors);
        CheckToken<SourceType>("sourceType", sourceType, errors);
        var after = cursor is null ? null : DecodeCursor(cursor);
        var take = PageQuery.Check(cursor, after is not null, limit, errors);
        if (!errors.IsEmpty)
        {
            return errors.ToQueryProblem();
        }

        IQueryable<DatasetView> query = session.Query<DatasetView>();
        if (DatasetReadAccess.IsLimitedToOwnCountry(caller))
        {
            var own = caller.Country;
            query = query.Where(d => d.Countries.Contains(own) || d.ReportedCountries.Contains(own));
        }
        if (country is not null)
        {
            query = query.Where(d => d.Countries.Contains(country));
        }
        if (owner is not null)
        {
            query = query.Where(d => d.Owner == owner);
        }
        if (status is not null)
        {
            query = query.Where(d => d.Status == status);
        }
        if (sourceType is not null)
        {
            query = query.Where(d => d.SourceType == sourceType);
        }
        if (after is not null)
        {
            query = query.Where(d => d.SortKey.CompareTo(after) > 0);
        }
        var rows = await query.OrderBy(d => d.SortKey).Take(take + 1).ToListAsync(http.RequestAborted);
        var page = rows.Take(take).Select(view => Summarise(view, caller)).ToList();
        var next = rows.Count > take ? EncodeCursor(rows[take - 1].SortKey) : null;
        return TypedResults.Ok(new DatasetPage(page, next));
    }

    private static DatasetSummary Summarise(DatasetView view, Caller caller)
    {
        var state = view.State;
        return new DatasetSummary(state.Id, state.Terms.Title, state.Owner, state.OwnerCountry, state.Terms.Sovereignty.OriginCountry,
            state.Terms.Origin.SourceType, state.Status, view.Revision, state.Versions.Count, state.Versions.Count > 0 ? DatasetNotes.AsReadBy(state.Versions[^1], state.Owner, caller) : null,
            state.Countries, state.RegisteredAt);
    }

    private static void CheckToken<TEnum>(string name, string? value, FieldErrors errors) where TEnum : struct, Enum
    {
        var allowed = Enum.GetValues<TEnum>().Select(DatasetView.Token).ToList();
        if (value is not null && !allowed.Contains(value))
        {
            errors.Add(name, $"must be one of {string.Join(", ", allowed)}");
        }
    }

    private static string EncodeCursor(string sortKey) => Base64Url.Encode(Encoding.UTF8.GetBytes("v1|" + sortKey));

    private static string? DecodeCursor(string cursor)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.Decode(cursor));
            return text.StartsWith("v1|", StringComparison.Ordinal) && text.Length == 3 + 19 + 1 + 32
                && text[3..22].All(char.IsAsciiDigit) && text[22] == ':' && text[23..].All(char.IsAsciiHexDigitLower)
                ? text[3..]
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
