using BalticAI.Sovereignty.Api.Infrastructure.Idempotency;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Datasets.Withdrawing;

/// <summary>
/// An owner withdraws a dataset for good (consent withdrawn, erasure request, licence ended...).
/// Final: afterwards every write is refused, and rule 11 flags everything derived from it.
/// </summary>
public static class WithdrawDataset
{
    public sealed record WithdrawalRequest(WithdrawalReason Reason, string? Note);

    public static Decision Decide(Dataset dataset, WithdrawalRequest request, DateTimeOffset now) =>
        dataset.Status == DatasetStatus.Withdrawn
            ? Decision.Conflict("The dataset is already withdrawn.")
            : Decision.Of(new DatasetWithdrawn(dataset.Id, request.Reason, request.Note, now, dataset.Countries));

    public static IEndpointRouteBuilder MapWithdrawDataset(this IEndpointRouteBuilder app)
    {
        app.MapPost("/datasets/{id:guid}/withdrawal", HandleAsync)
            .RequireAuthorization(policy => policy.RequireRole(Roles.DataOwner))
            .WithIdempotency()
            .WithName("WithdrawDataset")
            .WithTags("Datasets")
            .WithSummary("Withdraw a dataset for good, with a reason (consent withdrawn, erasure request, licence ended...)")
            .WithDescription("Body: schemas/dataset-withdrawal.schema.json. Final. Requires If-Match. Accepts Idempotency-Key.")
            .Accepts<WithdrawalRequest>("application/json")
            .Produces<DatasetResponse>()
            .ProducesWriteProblems();
        return app;
    }

    private static async Task<Results<Ok<DatasetResponse>, ProblemHttpResult>> HandleAsync(
        Guid id, HttpContext http, Caller caller, DatasetRequests requests, IDocumentSession session, TimeProvider clock)
    {
        var (request, problem) = await requests.ReadAsync<WithdrawalRequest>(http.Request, "dataset-withdrawal", http.RequestAborted);
        if (problem is not null)
        {
            return problem;
        }
        return await DatasetWrite.RunAsync(http, id, caller, session,
            dataset => Decide(dataset, request!, clock.GetUtcNow()),
            (dataset, version) => TypedResults.Ok(DatasetResponse.From(dataset, version)),
            endsReleases: true);
    }
}
