using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Infrastructure.Validation;
using Marten;
using Marten.Linq.MatchesSql;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.TrainingJobs.ListingJobs;

/// <summary>
/// Lists the training jobs the caller reads in registration order with an opaque cursor: a training system finds its
/// jobs again after a restart, an auditor or regulator the jobs at a site or in a country.
/// </summary>
public static class ListJobs
{
    public sealed record JobSummary(
        Guid Id, string TrainingSystem, string Operator, string OperatorCountry, JobPurpose Purpose, bool Commercial, bool GeneralPurposeModel,
        Guid SiteId, string SiteCountry, ModelReference Model, string? RecipientCountry, DateOnly PlannedStart, DateOnly PlannedEnd,
        DateTimeOffset RegisteredAt, int RevokedGrants, JobClosure? Closure);

    public sealed record JobPage(IReadOnlyList<JobSummary> Items, string? Next);

    public static IEndpointRouteBuilder MapListJobs(this IEndpointRouteBuilder app)
    {
        app.MapGet("/training-jobs", HandleAsync)
            .RequireAuthorization(policy => policy.RequireRole(Roles.All))
            .WithName("ListTrainingJobs")
            .WithTags("Training jobs")
            .WithSummary("Training jobs, filtered by status, training system, compute site and concerned country")
            .WithDescription("`status`: `open` (may still ask for data) or `closed` (POST /training-jobs/{id}/closure). Ordered by registration time then id. Pass `next` back as `cursor` for the following page. `country` matches the jobs that concern the country as its regulator reads them: the site's, the operator's or the model recipient's country, a training system of that country, or any recorded event of the job listing it (a decision on that country's data). A national regulator sees the jobs `GET /training-jobs/{id}` shows it.");
        return app;
    }

    private static async Task<Results<Ok<JobPage>, ProblemHttpResult>> HandleAsync(
        HttpContext http, Caller caller, TenantMap tenants, IQuerySession session,
        string? status, string? trainingSystem, string? siteId, string? country, string? cursor, int? limit)
    {
        var errors = new FieldErrors();
        if (status is not null && status is not ("open" or "closed"))
        {
            errors.Add("status", "must be one of open, closed");
        }
        PageQuery.CheckOrganisation("trainingSystem", trainingSystem, errors);
        var site = PageQuery.ReadId("siteId", siteId, "a compute site id", errors);
        country = CountryFilter.Read(country, "country", errors);
        var after = cursor is null ? null : JobCursor.Decode(cursor);
        var take = PageQuery.Check(cursor, after is not null, limit, errors);
        if (!errors.IsEmpty)
        {
            return errors.ToQueryProblem();
        }

        var query = JobReaders.Readable(session, caller, tenants);
        query = status switch
        {
            "open" => query.Where(j => j.Closure == null),
            "closed" => query.Where(j => j.Closure != null),
            _ => query,
        };
        if (trainingSystem is not null)
        {
            query = query.Where(j => j.TrainingSystem == trainingSystem);
        }
        if (site is { } wanted)
        {
            query = query.Where(j => j.SiteId == wanted);
        }
        if (country is not null)
        {
            // The country's regulator's own reading, so that an auditor's `country=PL` and the PL regulator's list agree.
            query = JobReaders.Concerning(query, country, tenants, session);
        }
        var schema = session.DocumentStore.Options.DatabaseSchemaName;
        if (after is not null)
        {
            query = query.Where(j => j.MatchesSql(JobCursor.After(schema), after.RegisteredAt, after.Id));
        }
        var rows = await query.OrderBySql(JobCursor.OrderExpression(schema)).Take(take + 1).ToListAsync(http.RequestAborted);
        var page = rows.Take(take).Select(Summarise).ToList();
        var next = rows.Count > take ? JobCursor.Encode(rows[take - 1]) : null;
        return TypedResults.Ok(new JobPage(page, next));
    }

    private static JobSummary Summarise(TrainingJob job) => new(
        job.Id, job.TrainingSystem, job.Operator, job.OperatorCountry, job.Purpose, job.Commercial, job.GeneralPurposeModel,
        job.SiteId, job.SiteCountry, job.Model, job.Recipient?.Country, job.PlannedStart, job.PlannedEnd, job.RegisteredAt, job.RevokedGrants.Count, job.Closure);
}
