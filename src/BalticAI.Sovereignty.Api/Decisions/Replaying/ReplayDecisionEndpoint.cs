using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Decisions.RequestingAccess;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Infrastructure.Telemetry;
using BalticAI.Sovereignty.Api.Ledger;
using BalticAI.Sovereignty.Api.Policies.Bundles;
using BalticAI.Sovereignty.Api.Policies.Engines;
using BalticAI.Sovereignty.Api.Policies.EvaluatingPolicy;
using BalticAI.Sovereignty.Api.Policies.Lifecycle;
using BalticAI.Sovereignty.Security;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Decisions.Replaying;

/// <summary>
/// Re-evaluates a recorded decision with its recorded bundle and input and says whether the result is
/// identical. The active engine answers when it holds that bundle; an older bundle is evaluated by the
/// embedded engine, since an OPA server holds only the active one: the broker's own, which keeps the last
/// bundles it compiled and evaluates with the options of live decisions. An evaluation that fails the same way on
/// every retry is 422 with the engine's errors (<see cref="EvaluationFailure"/>), as for a dry run.
/// </summary>
public static class ReplayDecisionEndpoint
{
    public sealed record Replay(Guid DecisionId, bool Identical, bool InputDigestMatches, string Engine, BundleReference Bundle, Outcome Recorded, Outcome Replayed);

    public sealed record Outcome(bool Allowed, IReadOnlyList<DecisionReason> Reasons, IReadOnlyList<JsonObject> Obligations);

    public static IEndpointRouteBuilder MapReplayDecision(this IEndpointRouteBuilder app)
    {
        app.MapPost("/decisions/{id:guid}/replay", HandleAsync)
            .RequireAuthorization(policy => policy.RequireRole(Roles.Auditor, Roles.Regulator, Roles.PolicyAdmin))
            .WithName("ReplayDecision")
            .WithTags("Decisions")
            .WithSummary("Re-evaluate a recorded decision under its recorded bundle and input; say whether the result is identical")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        return app;
    }

    private static async Task<Results<Ok<Replay>, ProblemHttpResult>> HandleAsync(
        Guid id, Caller caller, TenantMap tenants, IQuerySession session, PolicyLifecycle lifecycle, IPolicyEngine engine, EmbeddedRegoEngine embedded, BrokerTelemetry telemetry, CancellationToken ct)
    {
        var decided = await DecisionReaders.FindAsync(session, id, ct);
        if (decided is null || !DecisionReaders.Concerns(caller, decided, tenants))
        {
            return DecisionReaders.NotFound(id);
        }
        var bundle = await lifecycle.FindAsync(decided.BundleDigest, ct)
            ?? throw new PolicyEngineUnavailableException($"the bundle {decided.BundleDigest} of decision {id} is not recorded");
        var replayEngine = bundle.Digest == lifecycle.Active.Digest ? engine : embedded;
        JsonNode? evaluated;
        try
        {
            evaluated = await telemetry.EvaluateAsync(replayEngine, bundle, PolicyBundle.DecisionQuery, decided.Input, EvaluationPurpose.Replay, ct);
        }
        catch (PolicyEvaluationFailedException e)
        {
            // No outcome to compare, and none on any retry: the recorded decision cannot be reproduced, which the auditor
            // must see with the engine's error rather than a 503 that sends them away to retry forever.
            return EvaluationFailure.Problem(e, decided.BundleRevision, bundle.Digest, PolicyBundle.DecisionQuery,
                $"Decision {id}'s recorded input raised an error under its recorded bundle in the {replayEngine.Name} engine, "
                + "as it will on every retry: the recorded outcome cannot be reproduced.");
        }
        var verdict = PolicyVerdict.Interpret(evaluated).WithinGrantWindow(decided.Input);
        var recordedOutcome = new Outcome(decided.Allowed, decided.Reasons, decided.Obligations);
        var replayed = new Outcome(verdict.Allowed, verdict.Reasons, verdict.Obligations);
        var identical = Canonical(recordedOutcome) == Canonical(replayed);
        // Named as the decision named it: the digest covers modules and data only, so the same content activated again
        // under another revision is found by the same digest, and its newer name is not the one the decision recorded.
        return TypedResults.Ok(new Replay(id, identical, CanonicalJson.Sha256(decided.Input) == decided.InputDigest, replayEngine.Name,
            new BundleReference(decided.BundleRevision, bundle.Digest), recordedOutcome, replayed));
    }

    private static string Canonical(Outcome outcome) =>
        System.Text.Encoding.UTF8.GetString(CanonicalJson.Serialize(System.Text.Json.JsonSerializer.SerializeToNode(outcome)));
}
