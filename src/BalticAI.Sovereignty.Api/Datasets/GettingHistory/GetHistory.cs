using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Ledger.RecordingReads;
using BalticAI.Sovereignty.Api.Ledger;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Datasets.GettingHistory;

/// <summary>A dataset's events in stream order, each with who acted (organisation, application, pseudonym) and when.</summary>
public static class GetHistory
{
    public sealed record HistoryEntry(long Version, string Type, DateTimeOffset RecordedAt, Actor? Actor, object Data);

    public static IEndpointRouteBuilder MapGetHistory(this IEndpointRouteBuilder app)
    {
        app.MapGet("/datasets/{id:guid}/history", HandleAsync)
            .RequireAuthorization(policy => policy.RequireRole(Roles.All))
            .RecordsReads()
            .WithName("GetDatasetHistory")
            .WithTags("Datasets")
            .WithSummary("A dataset's events in order, with the acting organisation, application, pseudonymous actor and time")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<HistoryEntry>>, ProblemHttpResult>> HandleAsync(
        Guid id, HttpContext http, Caller caller, IQuerySession session)
    {
        var view = await session.LoadAsync<DatasetView>(id, http.RequestAborted);
        if (view is null || !DatasetReadAccess.CanRead(caller, view))
        {
            return DatasetProblems.NotFound(id);
        }
        var events = await session.Events.FetchStreamAsync(id, token: http.RequestAborted);
        return TypedResults.Ok<IReadOnlyList<HistoryEntry>>(events
            .Select(e => new HistoryEntry(e.Version, e.EventType.Name, e.Timestamp, e.ReadActor(), DatasetNotes.AsReadBy(e.Data, view.State.Owner, caller)))
            .ToList());
    }
}
