using BalticAI.Sovereignty.Api.Infrastructure.Concurrency;
using BalticAI.Sovereignty.Api.Infrastructure.Idempotency;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Ledger;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Datasets.RegisteringDataset;

/// <summary>A data owner registers a dataset; the owner organisation is the caller's, never the body's.</summary>
public static class RegisterDataset
{
    public static DatasetRegistered Decide(Guid id, Actor owner, DatasetTerms terms, DateTimeOffset now) =>
        new(id, owner.Organisation, owner.Country, terms, now, Dataset.ConcernedCountries(terms, owner.Country));

    public static IEndpointRouteBuilder MapRegisterDataset(this IEndpointRouteBuilder app)
    {
        app.MapPost("/datasets", HandleAsync)
            .RequireAuthorization(policy => policy.RequireRole(Roles.DataOwner))
            .WithIdempotency()
            .WithName("RegisterDataset")
            .WithTags("Datasets")
            .WithSummary("Register a dataset of the caller's organisation")
            .WithDescription("Body: schemas/dataset-terms.schema.json. Answers 201 with Location and the ETag to send in If-Match on later changes. Accepts Idempotency-Key.")
            .Accepts<DatasetTerms>("application/json")
            .Produces<DatasetResponse>(StatusCodes.Status201Created)
            .ProducesWriteProblems(existing: false);
        return app;
    }

    private static async Task<Results<Created<DatasetResponse>, ProblemHttpResult>> HandleAsync(
        HttpContext http, Caller caller, DatasetRequests requests, IDocumentSession session, TimeProvider clock)
    {
        var (terms, problem) = await requests.ReadAsync<DatasetTerms>(http.Request, "dataset-terms", http.RequestAborted);
        if (problem is not null)
        {
            return problem;
        }
        var known = await Lineage.KnownAsync(session, terms!.Lineage.DerivedFrom, http.RequestAborted);
        var content = TermsContentRules.Check(terms, requests.ReferenceData, known);
        if (!content.IsEmpty)
        {
            return DatasetProblems.Content(content);
        }
        var now = clock.GetUtcNow();
        var registered = Decide(Guid.CreateVersion7(now), caller.Actor, terms!, now);
        session.RecordActor(caller.Actor);
        session.Events.StartStream<Dataset>(registered.DatasetId, registered);
        var answer = TypedResults.Created(DatasetResponse.Location(registered.DatasetId), DatasetResponse.From(Dataset.Create(registered), 1));
        ETags.Set(http.Response, 1);
        await session.SaveWithAnswerAsync(http, answer);
        return answer;
    }
}
