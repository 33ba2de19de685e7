using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Infrastructure.Concurrency;
using BalticAI.Sovereignty.Api.Infrastructure.Idempotency;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Infrastructure.Validation;
using BalticAI.Sovereignty.Api.Ledger;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Decisions.Grants.RedeemingGrant;

/// <summary>The data plane records, as bytes actually move, that it released them under a grant.</summary>
public static class RedeemGrantEndpoint
{
    public sealed record RedeemGrant(long Bytes, string Digest);

    /// <summary>Pure: a release is refused under a revoked or expired grant, or from a withdrawn or restricted dataset.</summary>
    public static (GrantRedeemed? Redeemed, string? Refusal) Decide(Grant grant, DatasetStatus datasetStatus, RedeemGrant release, DateTimeOffset now)
    {
        if (grant.Status == GrantStatus.Revoked)
        {
            return (null, $"the grant was revoked ({grant.RevocationReason})");
        }
        if (grant.IsExpired(now))
        {
            return (null, $"the grant expired at {grant.ExpiresAt:O}");
        }
        if (datasetStatus != DatasetStatus.Active)
        {
            return (null, $"the dataset is {DatasetView.Token(datasetStatus)}");
        }
        return (new GrantRedeemed(grant.Id, release.Bytes, release.Digest, now, grant.Countries), null);
    }

    public static IEndpointRouteBuilder MapRedeemGrant(this IEndpointRouteBuilder app)
    {
        app.MapPost("/grants/{id:guid}/redemptions", HandleAsync)
            .RequireAuthorization(policy => policy.RequireRole(Roles.DataPlane))
            .WithIdempotency()
            .WithName("RedeemGrant")
            .WithTags("Grants")
            .WithSummary("Record that bytes were released under a grant (DataPlane); refused for revoked, expired or withdrawn")
            .WithDescription("Body: schemas/grant-redemption.schema.json: the number of bytes and the sha256 digest of what was released. Accepts Idempotency-Key: a data plane that retries after a timeout then records the release once.")
            .Accepts<RedeemGrant>("application/json")
            .Produces<Grant>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return app;
    }

    /// <summary>Reads, decides and appends again this many times when the grant changed in between.</summary>
    public const int Attempts = 8;

    /// <summary>
    /// Releases of one grant run in parallel, and a revocation can land between a release's read and its
    /// commit: the commit then fails its version check, and the release is decided again on what is now
    /// recorded, so a revocation refuses it and a neighbour's release does not.
    /// </summary>
    private static async Task<Results<Created<Grant>, ProblemHttpResult>> HandleAsync(
        Guid id, HttpContext http, Caller caller, JsonRequests requests, IDocumentStore store, TimeProvider clock)
    {
        var (release, problem) = await requests.ReadAsync<RedeemGrant>(http.Request, "grant-redemption", http.RequestAborted);
        if (problem is not null)
        {
            return problem;
        }
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            await using var session = store.LightweightSession();
            var stream = await session.Events.FetchForWriting<Grant>(id, http.RequestAborted);
            if (stream.Aggregate is null)
            {
                return TypedResults.Problem(title: "No such grant", detail: $"No grant {id} was issued.", statusCode: StatusCodes.Status404NotFound);
            }
            var dataset = await session.LoadAsync<DatasetView>(stream.Aggregate.DatasetId, http.RequestAborted);
            var (redeemed, refusal) = Decide(stream.Aggregate, dataset?.State.Status ?? DatasetStatus.Withdrawn, release!, clock.GetUtcNow());
            if (redeemed is null)
            {
                return TypedResults.Problem(title: "The grant does not allow a release", detail: refusal, statusCode: StatusCodes.Status409Conflict);
            }
            session.RecordActor(caller.Actor);
            stream.AppendOne(redeemed);
            var answer = TypedResults.Created($"/grants/{id}", GrantProjection.Apply(redeemed, stream.Aggregate));
            try
            {
                await session.SaveWithAnswerAsync(http, answer);
                return answer;
            }
            catch (Exception e) when (ConcurrentWrites.Are(e))
            {
                // Jittered: releases that lost the same commit would otherwise all read again at once and collide again.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 1 + 10 * attempt)), http.RequestAborted);
            }
        }
        return TypedResults.Problem(title: "The grant is changing",
            detail: $"Grant {id} changed during each of {Attempts} attempts to record this release; nothing was recorded. Send it again.",
            statusCode: StatusCodes.Status409Conflict);
    }
}
