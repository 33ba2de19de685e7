using BalticAI.Sovereignty.Api.Infrastructure.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Infrastructure.Concurrency;

/// <summary>The answers of a write guarded by If-Match (<see cref="ETags"/>), worded for the resource it changes.</summary>
public static class PreconditionProblems
{
    public static ProblemHttpResult Required(string resource, string readRoute) =>
        TypedResults.Problem(title: "If-Match required", detail: $"Send the {resource}'s current ETag in If-Match (read it with GET {readRoute}).", statusCode: StatusCodes.Status428PreconditionRequired);

    public static ProblemHttpResult Malformed() =>
        FieldErrors.Of("If-Match", "must be one strong ETag such as \"3\"").ToProblem(StatusCodes.Status400BadRequest, "Malformed If-Match");

    public static ProblemHttpResult Stale(string resource, long current) =>
        TypedResults.Problem(title: "Precondition failed", detail: $"The {resource} changed: its current ETag is \"{current}\". Read it again and retry.", statusCode: StatusCodes.Status412PreconditionFailed);

    public static ProblemHttpResult ConcurrentWrite(string resource) =>
        TypedResults.Problem(title: "Concurrent write", detail: $"Another change to this {resource} was committed while yours was being decided; nothing of yours was recorded. Read it again and retry.", statusCode: StatusCodes.Status409Conflict);
}
