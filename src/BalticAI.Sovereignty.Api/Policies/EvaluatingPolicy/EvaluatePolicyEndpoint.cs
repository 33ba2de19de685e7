using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Policies.Bundles;
using BalticAI.Sovereignty.Api.Policies.Engines;
using BalticAI.Sovereignty.Api.Policies.Lifecycle;

namespace BalticAI.Sovereignty.Api.Policies.EvaluatingPolicy;

/// <summary>A dry run ("what if"): evaluates the active bundle on a given input and records nothing.</summary>
public static class EvaluatePolicyEndpoint
{
    public sealed record EvaluatePolicy(JsonObject Input, string? Query);

    public sealed record Evaluation(string Revision, string Digest, string Query, bool Defined, JsonNode? Result);

    public static RouteGroupBuilder MapEvaluatePolicy(this RouteGroupBuilder group)
    {
        group.MapPost("/evaluate", async (EvaluatePolicy request, PolicyLifecycle lifecycle, IPolicyEngine engine, CancellationToken ct) =>
            {
                var bundle = lifecycle.Active;
                var query = request.Query ?? PolicyBundle.DecisionQuery;
                if (!query.StartsWith("data.balticai.", StringComparison.Ordinal))
                {
                    return Results.ValidationProblem(new Dictionary<string, string[]> { ["query"] = ["only data.balticai.* can be evaluated"] });
                }
                var result = await engine.EvaluateAsync(bundle, query, request.Input, ct);
                return TypedResults.Ok(new Evaluation(bundle.Revision, bundle.Digest, query, result is not null, result));
            })
            .RequireAuthorization(policy => policy.RequireRole(Roles.PolicyAdmin, Roles.TrainingSystem, Roles.DataOwner, Roles.Auditor))
            .WithName("EvaluatePolicy")
            .WithSummary("Dry run: evaluate the active bundle on an input without recording anything")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return group;
    }
}
