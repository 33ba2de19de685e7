using BalticAI.Sovereignty.Api.Policies.Engines;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Policies.EvaluatingPolicy;

/// <summary>
/// The 422 of an evaluation that fails the same way on every retry (<see cref="PolicyEvaluationFailedException"/>): a
/// dry run's and a replay's, alike from either engine, so that the one who can fix the bundle sees what to fix.
/// </summary>
public static class EvaluationFailure
{
    public const string Title = "The policy cannot be evaluated on this input";

    /// <summary>`errors.evaluation` holds the engine's errors; `revision` and `digest` name the bundle that raised them.</summary>
    public static ProblemHttpResult Problem(PolicyEvaluationFailedException failure, string revision, string digest, string query, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: Title, detail: detail,
            extensions: new Dictionary<string, object?>
            {
                ["errors"] = new Dictionary<string, string[]> { ["evaluation"] = [.. failure.Errors] },
                ["revision"] = revision,
                ["digest"] = digest,
                ["query"] = query,
            });
}
