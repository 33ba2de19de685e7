using BalticAI.Sovereignty.Api.Infrastructure.Concurrency;
using BalticAI.Sovereignty.Api.Infrastructure.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Provenance.IngestingLineage;

/// <summary>The problem documents of lineage reports, worded once.</summary>
public static class LineageProblems
{
    /// <summary>422: the report was refused and, instead, the violation recorded (a repeat answers the same).</summary>
    public static ProblemHttpResult Violation(LineageViolationRecorded violation)
    {
        var errors = new FieldErrors();
        foreach (var input in violation.Uncovered)
        {
            errors.Add(input.Field, input.Field.Length == 0 ? $"{input.Name} (reported earlier in this run): {input.Reason}" : input.Reason);
        }
        return TypedResults.Problem(
            title: "Inputs not covered by redeemed grants",
            detail: $"The {violation.Report} report was refused: the run read data its job was not released. A lineage violation ({violation.ViolationId}) was recorded and goes to the regulators of {string.Join(", ", violation.Countries)}.",
            statusCode: StatusCodes.Status422UnprocessableEntity,
            extensions: new Dictionary<string, object?>
            {
                ["errors"] = errors.Entries,
                ["violationId"] = violation.ViolationId,
                ["uncovered"] = violation.Uncovered,
            });
    }

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(title: "Conflicts with the run's state", detail: detail, statusCode: StatusCodes.Status409Conflict);

    /// <summary>
    /// Another writer committed first: to the same run or model version stream, or the first version of the same model
    /// (its <see cref="ModelVersions.ModelProvider"/> is inserted once); <see cref="ConcurrentWrite"/> is the answer.
    /// </summary>
    public static bool LostToConcurrentWrite(Exception e) =>
        ConcurrentWrites.Are(e) || e is JasperFx.DocumentAlreadyExistsException { DocType: var type } && type == typeof(ModelVersions.ModelProvider);

    public static ProblemHttpResult ConcurrentWrite() =>
        TypedResults.Problem(title: "Concurrent write", detail: "Another report for this run, model or model version was recorded at the same time; nothing of yours was recorded. Send it again: a repeat is answered as the first was.", statusCode: StatusCodes.Status409Conflict);

    public static ProblemHttpResult NotTheTrainingSystem(string trainingSystem) =>
        TypedResults.Problem(title: "Not this job's training system",
            detail: $"Only {trainingSystem}, which registered the job, may report its runs and models.", statusCode: StatusCodes.Status403Forbidden);
}
