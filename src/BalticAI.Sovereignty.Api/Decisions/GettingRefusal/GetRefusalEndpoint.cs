using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Ledger.RecordingReads;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Decisions.GettingRefusal;

/// <summary>
/// One refused request by its refusal id, the id an access request's 409 or 422 names: a dataset version asked for after
/// it had to stop (closed job, suspended site, withdrawn version). No policy decided it, so it is not a decision and has
/// no bundle or input to replay; it is read by the same callers as a decision would be, and anyone else gets 404.
/// </summary>
public static class GetRefusalEndpoint
{
    public sealed record RecordedRefusal(
        Guid RefusalId,
        Guid JobId,
        Guid DatasetId,
        int Version,
        string TrainingSystem,
        Guid SiteId,
        string Reason,
        DateTimeOffset RefusedAt,
        IReadOnlyList<string> Countries);

    public static IEndpointRouteBuilder MapGetRefusal(this IEndpointRouteBuilder app)
    {
        app.MapGet("/refusals/{id:guid}", HandleAsync)
            .RequireAuthorization(policy => policy.RequireRole(Roles.TrainingSystem, Roles.DataOwner, Roles.Auditor, Roles.Regulator, Roles.PolicyAdmin))
            .RecordsReads()
            .WithName("GetRefusal")
            .WithTags("Decisions")
            .WithSummary("A recorded refusal: the dataset version asked for after it had to stop, the job, site and the reason")
            .WithDescription("The refusal id is the one an access request's 409 or 422 problem lists under `refusals`. Readable by the training system that asked, "
                + "the dataset owner organisation's data owners, auditors, policy admins and the regulators whose feed carries it; anyone else gets 404, as for "
                + "an unknown id. Its place in the transparency log: /ledger/entries/by-event/{refusalId}.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Ok<RecordedRefusal>, ProblemHttpResult>> HandleAsync(
        Guid id, Caller caller, TenantMap tenants, IQuerySession session, CancellationToken ct)
    {
        if (await DecisionReaders.FindAnswerAsync(session, id, ct) is not AccessRefused refused
            || !await DecisionReaders.CanReadAsync(caller, refused.TrainingSystem, refused.Countries, refused.DatasetId, tenants, session, ct))
        {
            return TypedResults.Problem(title: "No such refusal", detail: $"No refusal {id} is recorded.", statusCode: StatusCodes.Status404NotFound);
        }
        return TypedResults.Ok(new RecordedRefusal(refused.RefusalId, refused.JobId, refused.DatasetId, refused.Version, refused.TrainingSystem,
            refused.SiteId, refused.Reason, refused.RefusedAt, refused.Countries));
    }
}
