using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Infrastructure.Problems;

/// <summary>Why a pure decision refuses a write (a release, a revocation, a job's closure): its problem answer's status, title and detail.</summary>
public sealed record Refusal(int Status, string Title, string Detail)
{
    /// <param name="extensions">Members the problem carries besides the standard ones (an access refusal's `refusals`).</param>
    public ProblemHttpResult ToProblem(IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(title: Title, detail: Detail, statusCode: Status, extensions: extensions);
}
