using BalticAI.Sovereignty.Api.Infrastructure.Idempotency;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Datasets.Restricting;

/// <summary>
/// An owner pauses every use of a dataset (e.g. while accuracy is contested, GDPR Art. 18) and later
/// lifts the pause; both with a reason.
/// </summary>
public static class RestrictDataset
{
    public sealed record RestrictionRequest(RestrictionReason Reason, string? Note);

    public sealed record LiftingRequest(RestrictionLiftReason Reason, string? Note);

    public static Decision Decide(Dataset dataset, RestrictionRequest request, DateTimeOffset now) => dataset.Status switch
    {
        DatasetStatus.Withdrawn => Decision.Conflict("The dataset is withdrawn; it cannot be restricted."),
        DatasetStatus.Restricted => Decision.Conflict("The dataset is already restricted; lift the restriction first."),
        _ => Decision.Of(new DatasetRestricted(dataset.Id, request.Reason, request.Note, now, dataset.Countries)),
    };

    public static Decision Decide(Dataset dataset, LiftingRequest request, DateTimeOffset now) => dataset.Status switch
    {
        DatasetStatus.Restricted => Decision.Of(new DatasetRestrictionLifted(dataset.Id, request.Reason, request.Note, now, dataset.Countries)),
        DatasetStatus.Withdrawn => Decision.Conflict("The dataset is withdrawn; withdrawal is final."),
        _ => Decision.Conflict("The dataset is not restricted."),
    };

    public static IEndpointRouteBuilder MapRestrictDataset(this IEndpointRouteBuilder app)
    {
        app.MapPost("/datasets/{id:guid}/restriction", RestrictAsync)
            .RequireAuthorization(policy => policy.RequireRole(Roles.DataOwner))
            .WithIdempotency()
            .WithName("RestrictDataset")
            .WithTags("Datasets")
            .WithSummary("Restrict a dataset: no job may use it until the restriction is lifted")
            .WithDescription("Body: schemas/dataset-restriction.schema.json. Requires If-Match. Accepts Idempotency-Key.")
            .Accepts<RestrictionRequest>("application/json")
            .Produces<DatasetResponse>()
            .ProducesWriteProblems();
        app.MapPost("/datasets/{id:guid}/restriction/lifting", LiftAsync)
            .RequireAuthorization(policy => policy.RequireRole(Roles.DataOwner))
            .WithIdempotency()
            .WithName("LiftDatasetRestriction")
            .WithTags("Datasets")
            .WithSummary("Lift a dataset's restriction, with a reason")
            .WithDescription("Body: schemas/dataset-restriction-lifting.schema.json. Requires If-Match. Accepts Idempotency-Key.")
            .Accepts<LiftingRequest>("application/json")
            .Produces<DatasetResponse>()
            .ProducesWriteProblems();
        return app;
    }

    private static async Task<Results<Ok<DatasetResponse>, ProblemHttpResult>> RestrictAsync(
        Guid id, HttpContext http, Caller caller, DatasetRequests requests, IDocumentSession session, TimeProvider clock)
    {
        var (request, problem) = await requests.ReadAsync<RestrictionRequest>(http.Request, "dataset-restriction", http.RequestAborted);
        if (problem is not null)
        {
            return problem;
        }
        return await DatasetWrite.RunAsync(http, id, caller, session,
            dataset => Decide(dataset, request!, clock.GetUtcNow()),
            (dataset, version) => TypedResults.Ok(DatasetResponse.From(dataset, version)),
            endsReleases: true);
    }

    private static async Task<Results<Ok<DatasetResponse>, ProblemHttpResult>> LiftAsync(
        Guid id, HttpContext http, Caller caller, DatasetRequests requests, IDocumentSession session, TimeProvider clock)
    {
        var (request, problem) = await requests.ReadAsync<LiftingRequest>(http.Request, "dataset-restriction-lifting", http.RequestAborted);
        if (problem is not null)
        {
            return problem;
        }
        return await DatasetWrite.RunAsync(http, id, caller, session,
            dataset => Decide(dataset, request!, clock.GetUtcNow()),
            (dataset, version) => TypedResults.Ok(DatasetResponse.From(dataset, version)));
    }
}
