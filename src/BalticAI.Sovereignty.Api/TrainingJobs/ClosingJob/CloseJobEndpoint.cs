using BalticAI.Sovereignty.Api.Infrastructure.Idempotency;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Infrastructure.Problems;
using BalticAI.Sovereignty.Api.Infrastructure.Validation;
using BalticAI.Sovereignty.Api.Ledger;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.TrainingJobs.ClosingJob;

/// <summary>
/// A job ends: its training system says it completed, was cancelled or failed, or a PolicyAdmin stops it. Until then a
/// job could ask for data, and hold grants, up to its planned end; a scheduler that cancels a job expects the data to
/// stop with it. The closure is recorded on the job (the regulators' feeds carry it); from its commit access requests
/// for the job are refused and releases under its grants too, and the grant revoker revokes every grant the job still
/// holds (`job-closed:&lt;outcome&gt;`), telling the training system over RabbitMQ as for any revocation.
/// </summary>
public static class CloseJobEndpoint
{
    /// <summary>The body (schemas/training-job-closure.schema.json).</summary>
    public sealed record CloseJob(JobOutcome Outcome);

    /// <summary>Pure: the event to record, or why not (403 for the caller, 409 for the job's state). The job's own training system closes it; a PolicyAdmin any job.</summary>
    public static (TrainingJobClosed? Closed, Refusal? Refusal) Decide(TrainingJob job, Caller caller, CloseJob request, DateTimeOffset now)
    {
        if (!caller.IsInRole(Roles.PolicyAdmin) && !(caller.IsInRole(Roles.TrainingSystem) && job.TrainingSystem == caller.Organisation))
        {
            return (null, new Refusal(StatusCodes.Status403Forbidden, "Not a job you may close",
                $"A job is closed by {job.TrainingSystem}, the training system that registered it, or by a PolicyAdmin; nothing was recorded."));
        }
        if (job.Closure is { } closure)
        {
            return (null, new Refusal(StatusCodes.Status409Conflict, "The job is closed",
                $"Job {job.Id} was closed ({Outcome(closure.Outcome)}) at {closure.ClosedAt:O}; nothing was recorded."));
        }
        return (new TrainingJobClosed(job.Id, request.Outcome, now, [.. job.Countries]), null);
    }

    /// <summary>The outcome as the API and the revocation reasons write it (`cancelled`).</summary>
    public static string Outcome(JobOutcome outcome) => Datasets.DatasetView.Token(outcome);

    public static IEndpointRouteBuilder MapCloseJob(this IEndpointRouteBuilder app)
    {
        app.MapPost("/training-jobs/{id:guid}/closure", HandleAsync)
            .RequireAuthorization(policy => policy.RequireRole(Roles.TrainingSystem, Roles.PolicyAdmin))
            .WithIdempotency()
            .WithName("CloseTrainingJob")
            .WithTags("Training jobs")
            .WithSummary("Close a job that completed, was cancelled or failed (its training system; a PolicyAdmin any job)")
            .WithDescription("Body: schemas/training-job-closure.schema.json. Final. Recorded as `TrainingJobClosed` on the job, with who closed it; from its commit, access requests for the job are 409 (each asked version recorded as `AccessRefused`) and releases under its grants are refused, "
                + "and the job's active grants are revoked with reason `job-closed:<outcome>` (the training system is told over RabbitMQ, the regulators' feeds carry it). A run's last report (COMPLETE, FAIL, ABORT) is still taken. 409 when the job is already closed. Accepts Idempotency-Key.")
            .Accepts<CloseJob>("application/json")
            .Produces<TrainingJob>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return app;
    }

    private static async Task<Results<Ok<TrainingJob>, ProblemHttpResult>> HandleAsync(
        Guid id, HttpContext http, Caller caller, JsonRequests requests, IDocumentStore store, TimeProvider clock)
    {
        var ct = http.RequestAborted;
        var (request, problem) = await requests.ReadAsync<CloseJob>(http.Request, "training-job-closure", ct);
        if (problem is not null)
        {
            return problem;
        }
        // The job's stream row is locked from the read on, as a dataset's is for a withdrawal: a release reads it FOR SHARE
        // in its commit, so it either commits before the closure takes its place in the ledger, or waits for it and is
        // decided again, refused; a revocation on the job waits for the closure too.
        await using var session = store.LightweightSession();
        var stream = await session.Events.FetchForExclusiveWriting<TrainingJob>(id, ct);
        if (stream.Aggregate is not { } job)
        {
            return JobReaders.NotFound(id);
        }
        var (closed, refusal) = Decide(job, caller, request!, clock.GetUtcNow());
        if (refusal is not null)
        {
            return refusal.ToProblem();
        }
        stream.AppendOne(session.Events.BuildEvent(closed!).Stamp(caller.Actor));
        var answer = TypedResults.Ok(job.Apply(closed!) with { Version = (stream.StartingVersion ?? 0) + 1 });
        await session.SaveWithAnswerAsync(http, answer);
        return answer;
    }
}
