using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Ledger.RecordingReads;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Datasets.ListingVersions;

public static class ListVersions
{
    public static IEndpointRouteBuilder MapListVersions(this IEndpointRouteBuilder app)
    {
        // Recorded as GET /datasets/{id} is: the versions are the same dataset's metadata, read another way.
        app.MapGet("/datasets/{id:guid}/versions", ListAsync)
            .RequireAuthorization(policy => policy.RequireRole(Roles.All))
            .RecordsReads()
            .WithName("ListDatasetVersions")
            .WithTags("Datasets")
            .WithSummary("A dataset's versions, oldest first")
            .ProducesProblem(StatusCodes.Status404NotFound);
        app.MapGet("/datasets/{id:guid}/versions/{number:int}", GetAsync)
            .RequireAuthorization(policy => policy.RequireRole(Roles.All))
            .RecordsReads()
            .WithName("GetDatasetVersion")
            .WithTags("Datasets")
            .WithSummary("One version of a dataset, by its number")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<DatasetVersion>>, ProblemHttpResult>> ListAsync(
        Guid id, HttpContext http, Caller caller, IQuerySession session)
    {
        var view = await session.LoadAsync<DatasetView>(id, http.RequestAborted);
        return view is not null && DatasetReadAccess.CanRead(caller, view)
            ? TypedResults.Ok(DatasetNotes.AsReadBy(view.State, caller).Versions)
            : DatasetProblems.NotFound(id);
    }

    private static async Task<Results<Ok<DatasetVersion>, ProblemHttpResult>> GetAsync(
        Guid id, int number, HttpContext http, Caller caller, IQuerySession session)
    {
        var view = await session.LoadAsync<DatasetView>(id, http.RequestAborted);
        if (view is null || !DatasetReadAccess.CanRead(caller, view))
        {
            return DatasetProblems.NotFound(id);
        }
        var version = view.State.Versions.FirstOrDefault(v => v.Number == number);
        return version is null
            ? TypedResults.Problem(title: "Version not found", detail: $"Dataset {id} has no version {number}.", statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Ok(DatasetNotes.AsReadBy(version, view.State.Owner, caller));
    }
}
