using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Ledger.RecordingReads;
using BalticAI.Sovereignty.Api.TrainingJobs;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Decisions.Grants.GettingGrant;

/// <summary>
/// A grant as its events leave it: status and revocation reason, expiry, releases and bytes released. The
/// resource a redemption's Location names; a data plane or training system reads it to learn whether a grant
/// still stands, an auditor to see what was released under it. A national regulator sees the grants that
/// concern its country, as its feed does (<see cref="JobReaders"/>: the grant's data, site, operator and model recipient,
/// or the training system holding the grant).
/// </summary>
public static class GetGrantEndpoint
{
    public static IEndpointRouteBuilder MapGetGrant(this IEndpointRouteBuilder app)
    {
        app.MapGet("/grants/{id:guid}", async Task<Results<Ok<GrantResponse>, ProblemHttpResult>> (Guid id, Caller caller, TenantMap tenants, IQuerySession session, TimeProvider clock, CancellationToken ct) =>
            {
                var grant = await session.LoadAsync<Grant>(id, ct);
                if (grant is null || !JobReaders.Concerns(caller, grant.Countries, grant.TrainingSystem, tenants))
                {
                    return GrantResponse.NotFound(id);
                }
                return TypedResults.Ok(GrantResponse.From(grant, clock.GetUtcNow()));
            })
            .RequireAuthorization(policy => policy.RequireRole(Roles.All))
            .RecordsReads()
            .WithName("GetGrant")
            .WithTags("Grants")
            .WithSummary("A grant as recorded: status, revocation reason, expiry, releases and bytes released")
            .WithDescription("`status` is `active` until a revocation is recorded (`revoked`, with `revocationReason`); `expired` says whether `expiresAt` has passed; `bundleDigest` names the bundle its decision was taken under.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }
}
