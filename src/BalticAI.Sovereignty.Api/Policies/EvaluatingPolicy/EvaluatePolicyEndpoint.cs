using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Infrastructure.Telemetry;
using BalticAI.Sovereignty.Api.Infrastructure.Validation;
using BalticAI.Sovereignty.Api.Policies.Bundles;
using BalticAI.Sovereignty.Api.Policies.Engines;
using BalticAI.Sovereignty.Api.Policies.Lifecycle;

namespace BalticAI.Sovereignty.Api.Policies.EvaluatingPolicy;

/// <summary>A dry run ("what if"): evaluates the active bundle on a given input and records nothing.</summary>
public static partial class EvaluatePolicyEndpoint
{
    /// <summary>The binder lets an absent or null `input` through although the type says otherwise: the endpoint refuses it.</summary>
    public sealed record EvaluatePolicy(JsonObject Input, string? Query);

    public sealed record Evaluation(string Revision, string Digest, string Query, bool Defined, JsonNode? Result);

    public static RouteGroupBuilder MapEvaluatePolicy(this RouteGroupBuilder group)
    {
        group.MapPost("/evaluate", async (HttpRequest http, PolicyLifecycle lifecycle, IPolicyEngine engine, BrokerTelemetry telemetry, CancellationToken ct) =>
            {
                // Read as every other body is (415, unsafe text and numbers no double holds are 400): the binder let a lone
                // surrogate through to the engine, which could not read it (500).
                var (request, unreadable) = await JsonRequests.ReadUnschemedAsync<EvaluatePolicy>(http, ct);
                if (request is null)
                {
                    return unreadable!;
                }
                // Without an input the engines disagreed (embedded: input undefined; OPA: a crash), and a dry run
                // on nothing is most likely a policy input posted without its `input` wrapper: say so instead.
                if (request.Input is null)
                {
                    return FieldErrors.Of("/input", "an object is required: the policy input to evaluate")
                        .ToProblem(StatusCodes.Status400BadRequest, "The request is malformed");
                }
                var bundle = lifecycle.Active;
                var query = request.Query ?? PolicyBundle.DecisionQuery;
                var refusal = !query.StartsWith("data.balticai.", StringComparison.Ordinal) ? "only data.balticai.* can be evaluated"
                    // Only a dotted reference: OPA is sent its keys (as a Data API path, or quoted in a query with the pin),
                    // and a query the embedded engine cannot parse would otherwise surface as an engine failure (503)
                    // instead of the caller's error.
                    : !DataReference().IsMatch(query) ? "must be a dotted reference such as data.balticai.access.decision"
                    : null;
                if (refusal is not null)
                {
                    // 422, as documented: Results.ValidationProblem would always answer 400.
                    return Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "The query is not acceptable",
                        extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["query"] = [refusal] } });
                }
                try
                {
                    var result = await telemetry.EvaluateAsync(engine, bundle, query, request.Input, EvaluationPurpose.DryRun, ct);
                    return TypedResults.Ok(new Evaluation(bundle.Revision, bundle.Digest, query, result is not null, result));
                }
                catch (PolicyEvaluationFailedException e)
                {
                    // A retry would fail alike: the 503 a decision gets here would send the admin away without the error.
                    return EvaluationFailure.Problem(e, bundle.Revision, bundle.Digest, query,
                        $"Evaluating {query} under bundle {bundle.Revision} on this input raised an error, as it will on every retry; nothing was recorded.");
                }
            })
            .RequireAuthorization(policy => policy.RequireRole(Roles.PolicyAdmin, Roles.TrainingSystem, Roles.DataOwner, Roles.Auditor))
            .WithName("EvaluatePolicy")
            .WithSummary("Dry run: evaluate the active bundle on an input without recording anything")
            .Accepts<EvaluatePolicy>(RequestBody.Json)
            .Produces<Evaluation>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        return group;
    }

    [GeneratedRegex(@"^data\.balticai(\.[A-Za-z_][A-Za-z0-9_]*)+$")]
    private static partial Regex DataReference();
}
