using BalticAI.Sovereignty.Api.Infrastructure.Idempotency;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Datasets.Withdrawing;

/// <summary>
/// An owner withdraws one version for good: an erasure or an objection usually concerns some records, which the owner
/// removes in a new version, and the version that still holds them must then move no more. The dataset and its other
/// versions stay; the version's grants are revoked, its releases and requests refused, and rule 11 flags the model
/// versions trained on it.
/// </summary>
public static class WithdrawVersion
{
    public static Decision Decide(Dataset dataset, int number, WithdrawDataset.WithdrawalRequest request, DateTimeOffset now)
    {
        if (dataset.Status == DatasetStatus.Withdrawn)
        {
            return Decision.Conflict("The dataset is withdrawn, every version with it.");
        }
        if (dataset.Versions.All(v => v.Number != number))
        {
            return Decision.NotFound(DatasetProblems.NoSuchVersion(dataset, number));
        }
        if (dataset.WithdrawalOf(number) is { } earlier)
        {
            return Decision.Conflict($"Version {number} was withdrawn ({DatasetView.Token(earlier.Reason)}) at {earlier.At:O}.");
        }
        return Decision.Of(new DatasetVersionWithdrawn(dataset.Id, number, request.Reason, request.Note, now, dataset.Countries));
    }

    public static IEndpointRouteBuilder MapWithdrawVersion(this IEndpointRouteBuilder app)
    {
        app.MapPost("/datasets/{id:guid}/versions/{number:int}/withdrawal", HandleAsync)
            .RequireAuthorization(policy => policy.RequireRole(Roles.DataOwner))
            .WithIdempotency()
            .WithName("WithdrawDatasetVersion")
            .WithTags("Datasets")
            .WithSummary("Withdraw one version of a dataset for good, with a reason (records erased, consent withdrawn for part of the data...)")
            .WithDescription("Body: schemas/dataset-withdrawal.schema.json. Answers the version with its withdrawal, and the dataset's new ETag. Final for the version; the dataset and its other versions stay. From its commit the version is refused to access requests (422) and releases; "
                + "its active grants are revoked (`dataset-version-withdrawn:<reason>`) and the model versions trained on it flagged. 404 for a version never published, 409 for one already withdrawn or a withdrawn dataset. Requires If-Match. Accepts Idempotency-Key.")
            .Accepts<WithdrawDataset.WithdrawalRequest>("application/json")
            .Produces<DatasetVersion>()
            .ProducesWriteProblems();
        return app;
    }

    /// <summary>Answers the version as `GET /datasets/{id}/versions/{number}` now shows it, with the dataset's new ETag.</summary>
    private static async Task<Results<Ok<DatasetVersion>, ProblemHttpResult>> HandleAsync(
        Guid id, int number, HttpContext http, Caller caller, DatasetRequests requests, IDocumentSession session, TimeProvider clock)
    {
        var (request, problem) = await requests.ReadAsync<WithdrawDataset.WithdrawalRequest>(http.Request, "dataset-withdrawal", http.RequestAborted);
        if (problem is not null)
        {
            return problem;
        }
        return await DatasetWrite.RunAsync(http, id, caller, session,
            dataset => Decide(dataset, number, request!, clock.GetUtcNow()),
            (dataset, _) => TypedResults.Ok(dataset.Versions.Single(v => v.Number == number)),
            endsReleases: true);
    }
}
