using BalticAI.Sovereignty.Api.Infrastructure.Concurrency;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Infrastructure.Validation;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Sites.GettingSites;

public static class GetSitesEndpoints
{
    public static IEndpointRouteBuilder MapGetSites(this IEndpointRouteBuilder app)
    {
        app.MapGet("/sites", async Task<Results<Ok<IReadOnlyList<ComputeSite>>, ProblemHttpResult>> (IQuerySession session, Caller caller, string? country, string? status, CancellationToken ct) =>
            {
                var errors = new FieldErrors();
                var code = CountryFilter.Read(country, "country", errors);
                if (status is not null && status is not ("active" or "suspended"))
                {
                    errors.Add("status", "must be one of active, suspended");
                }
                if (!errors.IsEmpty)
                {
                    return errors.ToQueryProblem();
                }
                var query = session.Query<ComputeSite>().AsQueryable();
                if (code is not null)
                {
                    query = query.Where(s => s.Country == code);
                }
                query = status switch
                {
                    "active" => query.Where(s => s.Suspension == null),
                    "suspended" => query.Where(s => s.Suspension != null),
                    _ => query,
                };
                return TypedResults.Ok<IReadOnlyList<ComputeSite>>([.. (await query.OrderBy(s => s.Code).ToListAsync(ct)).Select(s => AsReadBy(s, caller))]);
            })
            .RequireAuthorization(policy => policy.RequireRole(Roles.All))
            .WithName("ListSites")
            .WithTags("Sites")
            .WithSummary("Registered compute sites, optionally of one country, active or suspended")
            .WithDescription("`status`: `active` (takes data) or `suspended` (POST /sites/{id}/suspension: no data goes there until the suspension is lifted). Ordered by code. A suspension's note is shown to PolicyAdmins and auditors only.");

        app.MapGet("/sites/{id:guid}", async Task<Results<Ok<ComputeSite>, ProblemHttpResult>> (Guid id, IQuerySession session, Caller caller, HttpResponse response, CancellationToken ct) =>
            {
                if (await session.LoadAsync<ComputeSite>(id, ct) is not { } site)
                {
                    return SitesModule.NotFound(id);
                }
                // The If-Match of PATCH /sites/{id}.
                ETags.Set(response, site.Version);
                return TypedResults.Ok(AsReadBy(site, caller));
            })
            .RequireAuthorization(policy => policy.RequireRole(Roles.All))
            .WithName("GetSite")
            .WithTags("Sites")
            .WithSummary("One registered compute site")
            .WithDescription("With its ETag (the If-Match of its amendment, suspension and lifting). A suspension's note is shown to PolicyAdmins and auditors only.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    /// <summary>
    /// A suspension's note is the PolicyAdmins' record of an incident ("operator credentials leaked"): PolicyAdmins and
    /// auditors read it, every other role the reason and the time only, as the regulators' feeds carry them. Need to know:
    /// the training systems and data owners of every organisation read the sites.
    /// </summary>
    public static ComputeSite AsReadBy(ComputeSite site, Caller caller) =>
        site.Suspension is { Note: not null } suspension && !caller.IsInRole(Roles.PolicyAdmin) && !caller.IsInRole(Roles.Auditor)
            ? site with { Suspension = suspension with { Note = null } }
            : site;
}
