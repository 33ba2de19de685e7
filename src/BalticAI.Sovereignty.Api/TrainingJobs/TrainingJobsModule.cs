using BalticAI.Sovereignty.Api.Infrastructure.Validation;
using BalticAI.Sovereignty.Api.TrainingJobs.GettingJob;
using BalticAI.Sovereignty.Api.TrainingJobs.RegisteringJob;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BalticAI.Sovereignty.Api.TrainingJobs;

public static class TrainingJobsModule
{
    public static WebApplicationBuilder AddTrainingJobs(this WebApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<JsonRequests>();
        builder.Services.ConfigureMarten(store =>
        {
            store.Events.AddEventTypes([typeof(TrainingJobRegistered), typeof(JobGrantRevoked)]);
            store.Projections.Snapshot<TrainingJob>(SnapshotLifecycle.Inline);
        });
        return builder;
    }

    public static IEndpointRouteBuilder MapTrainingJobs(this IEndpointRouteBuilder app) => app.MapRegisterJob().MapGetJob();
}
