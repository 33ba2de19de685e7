using System.Globalization;
using System.Text;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Infrastructure.Validation;
using BalticAI.Sovereignty.Api.Ledger.RecordingReads;
using BalticAI.Sovereignty.Api.Provenance.ModelVersions.RegisteringModelVersion;
using BalticAI.Sovereignty.Api.Provenance.QueryingLineage;
using BalticAI.Sovereignty.Security;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Provenance.ModelVersions.ListingModelVersions;

/// <summary>
/// Every version of a model the caller may read, in registration order with an opaque cursor: which exist, what
/// they inherited and which are flagged, without knowing their names first. A model has tens of versions, not
/// millions, so its rows are read whole (only the listed members, in SQL) and paged here; that keeps the order
/// exact where PostgreSQL's microsecond timestamps would round the recorded 100 ns ticks a cursor compares.
/// </summary>
public static class ListModelVersionsEndpoint
{
    public sealed record ModelVersionListing(
        string ModelId, string Version, string Digest, string? Licence, Guid JobId, Guid? RunId, string TrainingSystem, string Operator, string SiteCountry,
        bool GeneralPurposeModel, BaseModelLink? BaseModel, RestrictionSummary Restrictions, bool IsFlagged, IReadOnlyList<ModelFlag> Flags,
        DateTimeOffset RegisteredAt);

    public sealed record ModelVersionPage(IReadOnlyList<ModelVersionListing> Items, string? Next);

    /// <summary>The members listed and those read access needs, selected in SQL: the document also keeps every upstream dataset.</summary>
    public sealed class Row
    {
        public string ModelId { get; init; } = "";
        public string Version { get; init; } = "";
        public string Digest { get; init; } = "";
        public string? Licence { get; init; }
        public Guid JobId { get; init; }
        public Guid? RunId { get; init; }
        public string TrainingSystem { get; init; } = "";
        public string Operator { get; init; } = "";
        public string SiteCountry { get; init; } = "";
        public bool GeneralPurposeModel { get; init; }
        public BaseModelLink? BaseModel { get; init; }
        public ModelRestrictions Restrictions { get; init; } = null!;
        public IReadOnlyList<ModelFlag> Flags { get; init; } = [];
        public IReadOnlyList<string> Countries { get; init; } = [];
        public DateTimeOffset RegisteredAt { get; init; }

        public (long Ticks, string Version) Key => (RegisteredAt.UtcTicks, Version);
    }

    public static IEndpointRouteBuilder MapListModelVersions(this IEndpointRouteBuilder app)
    {
        app.MapGet("/models/{modelId}/versions", HandleAsync)
            .RequireAuthorization(policy => policy.RequireRole(Roles.All))
            .RecordsReads()
            .WithName("ListModelVersions")
            .WithTags("Provenance")
            .WithSummary("A model's versions in registration order: digest, job, operator (the model's provider), base model, inherited restrictions and flags")
            .WithDescription("Query: flagged (true or false), cursor (the `next` of the previous page), limit (1-100, default 25). "
                + "Regulators see the versions their feed carried, as for a single version (the EU AI Office sees all); a model none of whose versions the caller may read answers 404.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Ok<ModelVersionPage>, ProblemHttpResult>> HandleAsync(
        string modelId, Caller caller, TenantMap tenants, IQuerySession session, bool? flagged, string? cursor, int? limit, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (!RegisterModelVersionEndpoint.ModelIdPattern().IsMatch(modelId))
        {
            errors.Add("modelId", RegisterModelVersionEndpoint.ModelIdInPathError);
        }
        var after = cursor is null ? default : DecodeCursor(cursor);
        var take = PageQuery.Check(cursor, after is not null, limit, errors);
        if (!errors.IsEmpty)
        {
            return errors.ToQueryProblem();
        }

        var rows = await session.Query<ModelVersionView>().Where(m => m.ModelId == modelId).Select(m => new Row
        {
            ModelId = m.ModelId, Version = m.Version, Digest = m.Digest, Licence = m.Licence, JobId = m.JobId, RunId = m.RunId,
            TrainingSystem = m.TrainingSystem, Operator = m.Operator, SiteCountry = m.SiteCountry, GeneralPurposeModel = m.GeneralPurposeModel, BaseModel = m.BaseModel,
            Restrictions = m.Restrictions, Flags = m.Flags, Countries = m.Countries, RegisteredAt = m.RegisteredAt,
        }).ToListAsync(ct);
        var readable = new List<Row>();
        foreach (var row in rows.OrderBy(r => r.Key.Ticks).ThenBy(r => r.Key.Version, StringComparer.Ordinal))
        {
            if (await ProvenanceReadAccess.CanReadAsync(caller, row.Countries, row.TrainingSystem, row.JobId, tenants, session, ct))
            {
                readable.Add(row);
            }
        }
        if (readable.Count == 0)
        {
            return TypedResults.Problem(title: "Model not found", detail: $"No version of model {modelId} that you may read.", statusCode: StatusCodes.Status404NotFound);
        }
        var selected = readable
            .Where(r => after is not { } a || r.Key.Ticks > a.Ticks || (r.Key.Ticks == a.Ticks && string.CompareOrdinal(r.Key.Version, a.Version) > 0))
            .Where(r => flagged is null || r.Flags.Count > 0 == flagged)
            .Take(take + 1)
            .ToList();
        var next = selected.Count > take ? EncodeCursor(selected[take - 1].Key) : null;
        return TypedResults.Ok(new ModelVersionPage(selected.Take(take).Select(List).ToList(), next));
    }

    private static ModelVersionListing List(Row r) => new(r.ModelId, r.Version, r.Digest, r.Licence, r.JobId, r.RunId, r.TrainingSystem, r.Operator, r.SiteCountry,
        r.GeneralPurposeModel, r.BaseModel,
        new RestrictionSummary(r.Restrictions.NonCommercial, r.Restrictions.ResearchOnly, r.Restrictions.NoDerivatives, r.Restrictions.ShareAlike,
            r.Restrictions.InputLicences, r.Restrictions.LicenceConflicts),
        r.Flags.Count > 0, r.Flags, r.RegisteredAt);

    private static string EncodeCursor((long Ticks, string Version) key) =>
        Base64Url.Encode(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"v1|{key.Ticks:D19}|{key.Version}")));

    private static (long Ticks, string Version)? DecodeCursor(string cursor)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.Decode(cursor));
            return text.Length > 24 && text.StartsWith("v1|", StringComparison.Ordinal) && text[22] == '|'
                && long.TryParse(text.AsSpan(3, 19), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                && !text[23..].Any(char.IsControl)
                ? (ticks, text[23..])
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
