using BalticAI.Sovereignty.Api.Infrastructure.Idempotency;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Infrastructure.Problems;
using BalticAI.Sovereignty.Api.Infrastructure.Validation;
using BalticAI.Sovereignty.Api.Ledger;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Sites.Suspending;

/// <summary>
/// A PolicyAdmin stops all data to a site at once (a security incident, an accreditation under review, a regulator's
/// order, the site taken out of service), whatever its facts say, and lifts the stop later. Amending the facts cannot
/// do this: a site with no special accreditation still takes ordinary data. From the suspension's commit, access
/// requests of jobs on the site are refused and so are releases under grants on it; the grant revoker revokes those
/// grants (`site-suspended:&lt;reason&gt;`) and jobs may not be registered there. Lifting it lets jobs ask again.
/// </summary>
public static class SuspendSiteEndpoint
{
    /// <summary>The body of a suspension (schemas/site-suspension.schema.json).</summary>
    public sealed record SuspendSite(SuspensionReason Reason, string? Note);

    /// <summary>Pure: the suspension to record, or 409 when the site is suspended already.</summary>
    public static (ComputeSiteSuspended? Suspended, Refusal? Refusal) Suspend(ComputeSite site, SuspendSite request, DateTimeOffset now) =>
        site.Suspension is { } current
            ? (null, new Refusal(StatusCodes.Status409Conflict, "The site is suspended already", $"Site {site.Code} is suspended ({Token(current.Reason)}) since {current.Since:O}; nothing was recorded."))
            : (new ComputeSiteSuspended(site.Id, site.Country, site.DataEmbassyFor, request.Reason, request.Note, now), null);

    /// <summary>Pure: the lifting to record, or 409 when the site is not suspended.</summary>
    public static (ComputeSiteSuspensionLifted? Lifted, Refusal? Refusal) Lift(ComputeSite site, DateTimeOffset now) =>
        site.Suspension is null
            ? (null, new Refusal(StatusCodes.Status409Conflict, "The site is not suspended", $"Site {site.Code} is not suspended; nothing was recorded."))
            : (new ComputeSiteSuspensionLifted(site.Id, site.Country, site.DataEmbassyFor, now), null);

    /// <summary>The reason as the API and the revocation reasons write it (`security-incident`).</summary>
    public static string Token(SuspensionReason reason) => Datasets.DatasetView.Token(reason);

    public static IEndpointRouteBuilder MapSuspendSite(this IEndpointRouteBuilder app)
    {
        app.MapPost("/sites/{id:guid}/suspension", SuspendAsync)
            .RequireAuthorization(policy => policy.RequireRole(Roles.PolicyAdmin))
            .WithIdempotency()
            .WithName("SuspendSite")
            .WithTags("Sites")
            .WithSummary("Stop all data to a site until the suspension is lifted (PolicyAdmin)")
            .WithDescription("Body: schemas/site-suspension.schema.json. Requires If-Match (the site's ETag). From its commit access requests of the site's jobs are 409 (each asked version recorded as `AccessRefused`), jobs are not registered there (422) and releases under grants on the site are refused; "
                + "the active grants on the site are revoked with reason `site-suspended:<reason>` (the training systems are told over RabbitMQ, the regulators' feeds carry it). 409 when the site is suspended already. Accepts Idempotency-Key.")
            .Accepts<SuspendSite>("application/json")
            .Produces<ComputeSite>()
            .ProducesSiteWriteProblems();
        app.MapPost("/sites/{id:guid}/suspension/lifting", LiftAsync)
            .RequireAuthorization(policy => policy.RequireRole(Roles.PolicyAdmin))
            .WithIdempotency()
            .WithName("LiftSiteSuspension")
            .WithTags("Sites")
            .WithSummary("Lift a site's suspension (PolicyAdmin)")
            .WithDescription("No body. Requires If-Match (the site's ETag). Jobs on the site may ask for data again; grants the suspension revoked stay revoked. 409 when the site is not suspended. Accepts Idempotency-Key.")
            .Produces<ComputeSite>()
            .ProducesSiteWriteProblems();
        return app;
    }

    private static RouteHandlerBuilder ProducesSiteWriteProblems(this RouteHandlerBuilder endpoint) => endpoint
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status412PreconditionFailed)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .ProducesProblem(StatusCodes.Status428PreconditionRequired);

    private static async Task<Results<Ok<ComputeSite>, ProblemHttpResult>> SuspendAsync(
        Guid id, HttpContext http, Caller caller, JsonRequests requests, IDocumentSession session, TimeProvider clock)
    {
        var (expected, precondition) = SiteWrites.IfMatch(http.Request);
        if (precondition is not null)
        {
            return precondition;
        }
        var (request, problem) = await requests.ReadAsync<SuspendSite>(http.Request, "site-suspension", http.RequestAborted);
        if (problem is not null)
        {
            return problem;
        }
        return await WriteAsync(id, expected, http, caller, session, site =>
        {
            var (suspended, refusal) = Suspend(site, request!, clock.GetUtcNow());
            return (suspended is null ? null : (site.Apply(suspended), suspended), refusal);
        });
    }

    private static async Task<Results<Ok<ComputeSite>, ProblemHttpResult>> LiftAsync(Guid id, HttpContext http, Caller caller, IDocumentSession session, TimeProvider clock)
    {
        var (expected, precondition) = SiteWrites.IfMatch(http.Request);
        if (precondition is not null)
        {
            return precondition;
        }
        return await WriteAsync(id, expected, http, caller, session, site =>
        {
            var (lifted, refusal) = Lift(site, clock.GetUtcNow());
            return (lifted is null ? null : (site.Apply(lifted), lifted), refusal);
        });
    }

    /// <summary>
    /// The site's stream row is locked from the read on, as a dataset's is for a withdrawal: a release reads it FOR SHARE
    /// in its commit, so it either commits before the suspension or waits for it and is decided again, refused.
    /// </summary>
    private static async Task<Results<Ok<ComputeSite>, ProblemHttpResult>> WriteAsync(Guid id, long expected, HttpContext http, Caller caller, IDocumentSession session,
        Func<ComputeSite, ((ComputeSite After, ILedgerEvent Event)? Change, Refusal? Refusal)> decide)
    {
        var (stream, stale) = await SiteWrites.ReadAsync(session, http, id, expected, exclusive: true);
        if (stale is not null)
        {
            return stale;
        }
        var (change, refusal) = decide(stream!.Aggregate!);
        if (refusal is not null)
        {
            return refusal.ToProblem();
        }
        session.RecordActor(caller.Actor);
        stream.AppendOne(change!.Value.Event);
        var answer = TypedResults.Ok(change.Value.After with { Version = expected + 1 });
        return await SiteWrites.SaveAsync(session, http, answer, expected + 1) is { } conflict ? conflict : answer;
    }
}
