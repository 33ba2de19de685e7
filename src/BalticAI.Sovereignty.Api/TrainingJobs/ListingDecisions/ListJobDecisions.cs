using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Ledger.QueryingEvents;
using BalticAI.Sovereignty.Api.Ledger.RecordingReads;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.TrainingJobs.ListingDecisions;

/// <summary>
/// A training job's access decisions, its requests refused before any decision, and the lifecycle of their grants
/// (issued, redeemed, revoked), from the ledger:
/// a training system that restarts learns which of its job's grants stand without having kept every grant id, and an
/// auditor or regulator sees the job as a whole. For the job's own training system, auditors and the regulators that
/// read the job (<see cref="JobReaders"/>). The job itself is readable by every role, so any other caller, another
/// organisation's training system included, gets 403 rather than 404: there is no existence left to hide, but the
/// data and the requests behind it are not its business.
/// </summary>
public static class ListJobDecisions
{
    /// <summary>
    /// Recorded aliases. A revocation is recorded on the grant's stream and repeated on the job's (job_grant_revoked);
    /// only the grant's own is listed, so each revocation appears once, beside the grant's issue and releases.
    /// </summary>
    public static readonly IReadOnlyList<string> Types = ["access_decided", "access_refused", "grant_issued", "grant_redeemed", "grant_revoked"];

    public static IEndpointRouteBuilder MapListJobDecisions(this IEndpointRouteBuilder app)
    {
        app.MapGet("/training-jobs/{id:guid}/decisions", HandleAsync)
            .RequireAuthorization(policy => policy.RequireRole(Roles.TrainingSystem, Roles.Auditor, Roles.Regulator))
            .RecordsReads()
            .WithLedgerEventQuery(LedgerEventPages.ListingParameters)
            .WithName("ListTrainingJobDecisions")
            .WithTags("Training jobs")
            .WithSummary("A training job's access decisions, refused requests and their grants' issue, releases and revocation, in ledger order, with cursor pagination")
            .WithDescription("Query: type (AccessDecided, AccessRefused, GrantIssued, GrantRedeemed, GrantRevoked; comma-separated), from, to, cursor, limit, as for /ledger/events. "
                + "The job's own training system and auditors see every event; a regulator reads the jobs GET /training-jobs/{id} shows it "
                + "(404 otherwise) and sees its own country's events. Another organisation's training system gets 403, as do data owners, "
                + "policy admins and data planes: the job is no secret, the data requested for it is.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Ok<LedgerEventPage>, ProblemHttpResult>> HandleAsync(
        Guid id, HttpContext http, Caller caller, TenantMap tenants, LedgerEventReader reader, IQuerySession session, CancellationToken ct)
    {
        var job = await session.LoadAsync<TrainingJob>(id, ct);
        // Answered exactly as GET /training-jobs/{id}, so a national regulator cannot probe ids here either.
        if (job is null || !await JobReaders.CanReadAsync(caller, job, tenants, session, ct))
        {
            return JobReaders.NotFound(id);
        }
        var allSeen = caller.IsInRole(Roles.Auditor) || (caller.IsInRole(Roles.Regulator) && caller.ReadsAllCountries);
        var own = caller.IsInRole(Roles.TrainingSystem) && job.TrainingSystem == caller.Organisation;
        if (!allSeen && !own && !caller.IsInRole(Roles.Regulator))
        {
            return TypedResults.Problem(title: "Not the job's training system",
                detail: "Only the job's own training system, auditors and regulators read the decisions on this training job.", statusCode: StatusCodes.Status403Forbidden);
        }
        // A national regulator sees what its feed carried: the events listing its country.
        var scope = allSeen || own ? null : caller.Country;
        return await LedgerEventPages.ReadListingAsync(http.Request, Types, filter => filter with { Job = id }, scope, reader, session, ct);
    }
}
