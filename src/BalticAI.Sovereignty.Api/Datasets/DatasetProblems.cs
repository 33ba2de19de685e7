using BalticAI.Sovereignty.Api.Infrastructure.Concurrency;
using BalticAI.Sovereignty.Api.Infrastructure.OpenApi;
using BalticAI.Sovereignty.Api.Infrastructure.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Datasets;

/// <summary>The problem documents the dataset routes answer with, worded once.</summary>
public static class DatasetProblems
{
    public static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(title: "Dataset not found", detail: $"No dataset {id} that you may read.", statusCode: StatusCodes.Status404NotFound);

    /// <summary>
    /// A field error for a data version the dataset does not have, naming those it has: a caller that took the
    /// dataset's revision (its ETag, `version`) for a data version learns the number to ask for.
    /// </summary>
    public static string NoSuchVersion(Dataset dataset, int asked) => dataset.Versions.Count switch
    {
        0 => $"dataset {dataset.Id} has no version {asked}: none is published yet",
        1 => $"dataset {dataset.Id} has no version {asked}: its only data version is 1",
        var count => $"dataset {dataset.Id} has no version {asked}: its data versions are 1 to {count}",
    };

    public static ProblemHttpResult NotOwner() =>
        TypedResults.Problem(title: "Not the owner", detail: "Only the owner organisation's data owners may change this dataset.", statusCode: StatusCodes.Status403Forbidden);

    public static ProblemHttpResult IfMatchRequired() => PreconditionProblems.Required("dataset", "/datasets/{id}");

    public static ProblemHttpResult IfMatchMalformed() => PreconditionProblems.Malformed();

    public static ProblemHttpResult Stale(long current) => PreconditionProblems.Stale("dataset", current);

    public static ProblemHttpResult ConcurrentWrite() => PreconditionProblems.ConcurrentWrite("dataset");

    public static ProblemHttpResult Structure(FieldErrors errors) => JsonRequests.Structure(errors);

    public static ProblemHttpResult Content(FieldErrors errors) => JsonRequests.Content(errors);

    public static ProblemHttpResult From(DatasetError error) => error.Kind switch
    {
        DatasetErrorKind.Conflict => TypedResults.Problem(title: "Conflicts with the dataset's state", detail: error.Message, statusCode: StatusCodes.Status409Conflict),
        DatasetErrorKind.NotFound => TypedResults.Problem(title: "Not found", detail: error.Message, statusCode: StatusCodes.Status404NotFound),
        DatasetErrorKind.Malformed => Structure(error.Fields),
        _ => Content(error.Fields),
    };

    /// <summary>Every write route's problem codes, for OpenAPI.</summary>
    public static RouteHandlerBuilder ProducesWriteProblems(this RouteHandlerBuilder endpoint, bool existing = true)
    {
        endpoint.ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        if (existing)
        {
            endpoint.WithRequestHeader("If-Match", required: true, "The dataset's current ETag, e.g. \"3\" (from GET /datasets/{id} or the last write).")
                .ProducesProblem(StatusCodes.Status404NotFound)
                .ProducesProblem(StatusCodes.Status409Conflict)
                .ProducesProblem(StatusCodes.Status412PreconditionFailed)
                .ProducesProblem(StatusCodes.Status428PreconditionRequired);
        }
        return endpoint;
    }
}
