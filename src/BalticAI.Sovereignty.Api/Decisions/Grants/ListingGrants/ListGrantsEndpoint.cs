using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Infrastructure.Validation;
using BalticAI.Sovereignty.Api.Ledger.RecordingReads;
using Marten;
using Marten.Linq.MatchesSql;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Decisions.Grants.ListingGrants;

/// <summary>
/// The grants as they stand, for those who act on them: a training system's own after a restart, the grants on a data
/// owner's datasets before it withdraws one, the revoked ones a data plane must refuse. The ledger's event listings
/// tell how each came to be; this says what holds now.
/// </summary>
public static class ListGrantsEndpoint
{
    public sealed record GrantPage(IReadOnlyList<GrantResponse> Items, string? Next);

    /// <summary>The `status` values: a standing grant, one revoked (expired or not), one run out without a revocation.</summary>
    private static readonly string[] Statuses = ["active", "revoked", "expired"];

    public static IEndpointRouteBuilder MapListGrants(this IEndpointRouteBuilder app)
    {
        app.MapGet("/grants", HandleAsync)
            .RequireAuthorization(policy => policy.RequireRole(Roles.All))
            .RecordsReads()
            .WithName("ListGrants")
            .WithTags("Grants")
            .WithSummary("Grants as they stand, filtered by status, dataset, job, site and training system, in issue order with cursor pagination")
            .WithDescription("`status`: `active` (neither revoked nor expired), `revoked`, `expired` (run out, never revoked). Ordered by issue (grant ids are UUIDv7); pass `next` back as `cursor`. "
                + "A training system lists its own grants, a data owner the grants on its organisation's datasets, a national regulator those concerning its country; auditors, PolicyAdmins, data planes and the EU AI Office list all. One grant is read by id by every role (GET /grants/{id}).")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    private static async Task<Results<Ok<GrantPage>, ProblemHttpResult>> HandleAsync(
        HttpContext http, Caller caller, TenantMap tenants, IQuerySession session, TimeProvider clock,
        string? status, string? datasetId, string? jobId, string? siteId, string? trainingSystem, string? cursor, int? limit)
    {
        var errors = new FieldErrors();
        if (status is not null && !Statuses.Contains(status, StringComparer.Ordinal))
        {
            errors.Add("status", "must be one of active, revoked, expired");
        }
        var dataset = PageQuery.ReadId("datasetId", datasetId, "a dataset id", errors);
        var job = PageQuery.ReadId("jobId", jobId, "a training job id", errors);
        var site = PageQuery.ReadId("siteId", siteId, "a compute site id", errors);
        PageQuery.CheckOrganisation("trainingSystem", trainingSystem, errors);
        var after = cursor is null ? null : GrantCursor.Decode(cursor);
        var take = PageQuery.Check(cursor, after is not null, limit, errors);
        if (!errors.IsEmpty)
        {
            return errors.ToQueryProblem();
        }

        var query = GrantListReaders.Listable(session, caller, tenants);
        if (dataset is { } d)
        {
            query = query.Where(g => g.DatasetId == d);
        }
        if (job is { } j)
        {
            query = query.Where(g => g.JobId == j);
        }
        if (site is { } s)
        {
            query = query.Where(g => g.SiteId == s);
        }
        if (trainingSystem is not null)
        {
            query = query.Where(g => g.TrainingSystem == trainingSystem);
        }
        var now = clock.GetUtcNow();
        query = status switch
        {
            "active" => query.Where(g => g.Status == GrantStatus.Active && g.ExpiresAt > now),
            "revoked" => query.Where(g => g.Status == GrantStatus.Revoked),
            "expired" => query.Where(g => g.Status == GrantStatus.Active && g.ExpiresAt <= now),
            _ => query,
        };
        if (after is { } last)
        {
            query = query.Where(g => g.MatchesSql("d.id > ?", last));
        }
        var rows = await query.OrderBy(g => g.Id).Take(take + 1).ToListAsync(http.RequestAborted);
        var page = rows.Take(take).Select(g => GrantResponse.From(g, now)).ToList();
        return TypedResults.Ok(new GrantPage(page, rows.Count > take ? GrantCursor.Encode(rows[take - 1].Id) : null));
    }
}
