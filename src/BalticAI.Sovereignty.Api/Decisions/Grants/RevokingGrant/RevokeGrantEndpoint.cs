using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Decisions.Grants.Revoking;
using BalticAI.Sovereignty.Api.Infrastructure.Idempotency;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Infrastructure.Problems;
using BalticAI.Sovereignty.Api.Infrastructure.Validation;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Decisions.Grants.RevokingGrant;

/// <summary>
/// Ends one grant by hand before it expires, as OAuth ends a token (RFC 7009): a grant whose signed token may be in
/// other hands, a job that no longer needs the data, a grant a newly activated bundle would no longer give. The
/// revocation is recorded as every other (on the grant and its job, with who revoked it), so releases under the grant
/// are refused from its commit, the training system is told over RabbitMQ and the regulators' feeds carry it.
/// </summary>
public static class RevokeGrantEndpoint
{
    /// <summary>The body (schemas/grant-revocation.schema.json).</summary>
    public sealed record RevokeGrant(string Reason);

    /// <summary>
    /// Pure: the reason to record, or why not (403 for the caller, 409 for the grant's state). A PolicyAdmin may end any grant; the training system, the grants it
    /// holds; a data owner, the grants on its organisation's datasets (<paramref name="datasetOwner"/>). The role that
    /// allows it names the revoker in the reason: `revoked-by-training-system:job-ended`.
    /// </summary>
    public static (string? Reason, Refusal? Refusal) Decide(Grant grant, Caller caller, string? datasetOwner, RevokeGrant request, DateTimeOffset now)
    {
        var revoker = caller.IsInRole(Roles.PolicyAdmin) ? "policy-admin"
            : caller.IsInRole(Roles.DataOwner) && datasetOwner == caller.Organisation ? "data-owner"
            : caller.IsInRole(Roles.TrainingSystem) && grant.TrainingSystem == caller.Organisation ? "training-system"
            : null;
        if (revoker is null)
        {
            return (null, new Refusal(StatusCodes.Status403Forbidden, "Not a grant you may revoke",
                "A grant is revoked by a PolicyAdmin, by the training system holding it or by a data owner of the dataset's organisation; nothing was recorded."));
        }
        if (grant.Status == GrantStatus.Revoked)
        {
            return (null, new Refusal(StatusCodes.Status409Conflict, "The grant is already revoked", $"Grant {grant.Id} was revoked ({grant.RevocationReason}); nothing was recorded."));
        }
        if (grant.IsExpired(now))
        {
            return (null, new Refusal(StatusCodes.Status409Conflict, "The grant has expired", $"Grant {grant.Id} expired at {grant.ExpiresAt:O}; no release is taken under it, and nothing was recorded."));
        }
        return ($"revoked-by-{revoker}:{request.Reason}", null);
    }

    public static IEndpointRouteBuilder MapRevokeGrant(this IEndpointRouteBuilder app)
    {
        app.MapPost("/grants/{id:guid}/revocation", HandleAsync)
            .RequireAuthorization(policy => policy.RequireRole(Roles.PolicyAdmin, Roles.TrainingSystem, Roles.DataOwner))
            .WithIdempotency()
            .WithName("RevokeGrant")
            .WithTags("Grants")
            .WithSummary("End a grant before it expires (PolicyAdmin; the training system holding it; a data owner of the dataset's organisation)")
            .WithDescription("Body: schemas/grant-revocation.schema.json. Recorded as `revoked-by-<role>:<reason>` on the grant and its job, with the revoker; releases under the grant are refused from then on, "
                + "the training system is told over RabbitMQ and the regulators' feeds carry it. 409 when the grant is already revoked or has expired. Accepts Idempotency-Key: a retry after a lost answer gets the first one.")
            .Accepts<RevokeGrant>("application/json")
            .Produces<GrantResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return app;
    }

    private static async Task<Results<Ok<GrantResponse>, ProblemHttpResult>> HandleAsync(
        Guid id, HttpContext http, Caller caller, JsonRequests requests, IDocumentStore store, TimeProvider clock)
    {
        var ct = http.RequestAborted;
        var (request, problem) = await requests.ReadAsync<RevokeGrant>(http.Request, "grant-revocation", ct);
        if (problem is not null)
        {
            return problem;
        }
        return await GrantWrites.UntilCommittedAsync<Ok<GrantResponse>>(id, "this revocation", async _ =>
        {
            await using var session = store.LightweightSession();
            // Read for writing: a release or revocation committed after this read fails the commit, and the revocation is
            // decided again on what is then recorded (a revocation meanwhile is 409, a release meanwhile changes nothing).
            var stream = await session.Events.FetchForWriting<Grant>(id, ct);
            if (stream.Aggregate is not { } grant)
            {
                return GrantResponse.NotFound(id);
            }
            var owner = caller.IsInRole(Roles.DataOwner) ? (await session.LoadAsync<DatasetView>(grant.DatasetId, ct))?.Owner : null;
            var now = clock.GetUtcNow();
            var (reason, refusal) = Decide(grant, caller, owner, request!, now);
            if (refusal is not null)
            {
                return refusal.ToProblem();
            }
            var revoked = GrantRevoker.AppendRevocation(session, stream, reason!, caller.Actor, now);
            var answer = TypedResults.Ok(GrantResponse.From(GrantProjection.Apply(revoked, grant), now));
            await session.SaveWithAnswerAsync(http, answer);
            return answer;
        }, ct);
    }
}
