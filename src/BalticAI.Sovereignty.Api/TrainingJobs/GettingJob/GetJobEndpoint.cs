using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Ledger.RecordingReads;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.TrainingJobs.GettingJob;

public static class GetJobEndpoint
{
    public static IEndpointRouteBuilder MapGetJob(this IEndpointRouteBuilder app)
    {
        app.MapGet("/training-jobs/{id:guid}", async Task<Results<Ok<TrainingJob>, ProblemHttpResult>> (Guid id, Caller caller, TenantMap tenants, IQuerySession session, CancellationToken ct) =>
            {
                var job = await session.LoadAsync<TrainingJob>(id, ct);
                // A national regulator sees the jobs that concern its country, as its feed does: site, operator, model
                // recipient, the training system that registered it, or data of its country the job asked for; any other
                // role, its own or beside Regulator, sees every job.
                if (job is null || !await JobReaders.CanReadAsync(caller, job, tenants, session, ct))
                {
                    return JobReaders.NotFound(id);
                }
                // A job stored before its document kept the version reads 0 until its next event: its stream says it.
                return TypedResults.Ok(job.Version > 0 ? job : job with { Version = (await session.Events.FetchStreamStateAsync(id, ct))?.Version ?? 0 });
            })
            .RequireAuthorization(policy => policy.RequireRole(Roles.All))
            .RecordsReads()
            .WithName("GetTrainingJob")
            .WithTags("Training jobs")
            .WithSummary("A training job as recorded")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }
}
