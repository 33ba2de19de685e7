using BalticAI.Sovereignty.Api.Infrastructure.Concurrency;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Ledger.RecordingReads;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Datasets.GettingDataset;

public static class GetDataset
{
    public static IEndpointRouteBuilder MapGetDataset(this IEndpointRouteBuilder app)
    {
        app.MapGet("/datasets/{id:guid}", HandleAsync)
            .RequireAuthorization(policy => policy.RequireRole(Roles.All))
            .RecordsReads()
            .WithName("GetDataset")
            .WithTags("Datasets")
            .WithSummary("A dataset's terms, status and latest version, with its ETag")
            .WithDescription("Regulators see only datasets concerning their country (the EU AI Office sees all); others' datasets answer 404. A restriction's or withdrawal's note is shown to the owner organisation, PolicyAdmins and auditors only (as on the versions and the history).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Ok<DatasetResponse>, ProblemHttpResult>> HandleAsync(
        Guid id, HttpContext http, Caller caller, IQuerySession session)
    {
        var view = await session.LoadAsync<DatasetView>(id, http.RequestAborted);
        if (view is null || !DatasetReadAccess.CanRead(caller, view))
        {
            return DatasetProblems.NotFound(id);
        }
        ETags.Set(http.Response, view.Revision);
        return TypedResults.Ok(DatasetResponse.From(DatasetNotes.AsReadBy(view.State, caller), view.Revision));
    }
}
