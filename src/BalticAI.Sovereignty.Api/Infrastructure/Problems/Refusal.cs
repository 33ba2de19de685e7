using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Infrastructure.Problems;

/// <summary>Why a pure decision refuses a write (a release, a revocation, a job's closure): its problem answer's status, title and detail.</summary>
public sealed record Refusal(int Status, string Title, string Detail)
{
    public ProblemHttpResult ToProblem() => TypedResults.Problem(title: Title, detail: Detail, statusCode: Status);
}
