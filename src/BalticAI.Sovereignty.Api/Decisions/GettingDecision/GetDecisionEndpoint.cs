using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Decisions.RequestingAccess;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Ledger.RecordingReads;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Decisions.GettingDecision;

/// <summary>
/// One recorded decision by its id, the id a grant's token and an access request's answer name: what was asked,
/// what was decided and why, under which bundle, and the input it was decided on, so that anyone may check it
/// elsewhere: SHA-256 of the RFC 8785 form of <c>input</c> is <c>inputDigest</c>, and the bundle is served at
/// /policies/bundles/{digest} for any Rego engine (OPA) to evaluate.
/// </summary>
public static class GetDecisionEndpoint
{
    public sealed record RecordedDecision(
        Guid DecisionId,
        Guid JobId,
        Guid DatasetId,
        int Version,
        string TrainingSystem,
        Guid SiteId,
        bool Allowed,
        IReadOnlyList<DecisionReason> Reasons,
        IReadOnlyList<JsonObject> Obligations,
        BundleReference Bundle,
        string InputDigest,
        JsonObject Input,
        Guid? GrantId,
        DateTimeOffset DecidedAt,
        IReadOnlyList<string> Countries);

    public static IEndpointRouteBuilder MapGetDecision(this IEndpointRouteBuilder app)
    {
        app.MapGet("/decisions/{id:guid}", HandleAsync)
            .RequireAuthorization(policy => policy.RequireRole(Roles.TrainingSystem, Roles.DataOwner, Roles.Auditor, Roles.Regulator, Roles.PolicyAdmin))
            .RecordsReads()
            .WithName("GetDecision")
            .WithTags("Decisions")
            .WithSummary("A recorded decision: dataset version, job, outcome, every reason, obligations, bundle, input and its digest, grant")
            .WithDescription("The training system that asked, the dataset owner organisation's data owners, auditors, policy admins, and the regulators "
                + "whose feed carries the decision. Anyone else gets 404, as for an unknown id. The grant's current status is at /grants/{grantId}. "
                + "A refusal's id (a request refused before any policy decided) is answered 404 naming /refusals/{id}, for those who may read it.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Ok<RecordedDecision>, ProblemHttpResult>> HandleAsync(
        Guid id, Caller caller, TenantMap tenants, IQuerySession session, CancellationToken ct)
    {
        var answer = await DecisionReaders.FindAnswerAsync(session, id, ct);
        if (answer is AccessRefused refused
            && await DecisionReaders.CanReadAsync(caller, refused.TrainingSystem, refused.Countries, refused.DatasetId, tenants, session, ct))
        {
            // The id a 409 or 422 listed under `refusals`: no policy decided it, and the caller is told where it is.
            return TypedResults.Problem(title: "Not a decision",
                detail: $"{id} is a refusal, recorded before any policy decided: GET /refusals/{id}.", statusCode: StatusCodes.Status404NotFound,
                extensions: new Dictionary<string, object?> { ["refusal"] = $"/refusals/{id}" });
        }
        if (answer is not AccessDecided decided
            || !await DecisionReaders.CanReadAsync(caller, decided.TrainingSystem, decided.Countries, decided.DatasetId, tenants, session, ct))
        {
            return DecisionReaders.NotFound(id);
        }
        return TypedResults.Ok(new RecordedDecision(decided.DecisionId, decided.JobId, decided.DatasetId, decided.Version, decided.TrainingSystem,
            decided.SiteId, decided.Allowed, decided.Reasons, decided.Obligations, new BundleReference(decided.BundleRevision, decided.BundleDigest),
            decided.InputDigest, decided.Input, decided.GrantId, decided.DecidedAt, decided.Countries));
    }
}
