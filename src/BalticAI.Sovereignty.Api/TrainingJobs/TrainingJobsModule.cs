using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Infrastructure.Validation;
using BalticAI.Sovereignty.Api.TrainingJobs.ClosingJob;
using BalticAI.Sovereignty.Api.TrainingJobs.Demo;
using BalticAI.Sovereignty.Api.TrainingJobs.GettingJob;
using BalticAI.Sovereignty.Api.TrainingJobs.ListingDecisions;
using BalticAI.Sovereignty.Api.TrainingJobs.ListingJobs;
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
        builder.Services.ConfigureMarten(ConfigureStore);
        // One switch for the whole demo: the datasets alone leave nothing to decide on.
        if (builder.Configuration.GetSection(DatasetsOptions.SectionName).Get<DatasetsOptions>()?.SeedDemo == true)
        {
            builder.Services.AddHostedService<DemoJobSeeder>();
        }
        return builder;
    }

    /// <summary>Event types, inline projections and indexes of this slice; `balticai seed` composes them too, so seeded documents are the broker's.</summary>
    public static void ConfigureStore(StoreOptions store)
    {
        store.Events.AddEventTypes([typeof(TrainingJobRegistered), typeof(JobGrantRevoked), typeof(TrainingJobClosed)]);
        store.Projections.Snapshot<TrainingJob>(SnapshotLifecycle.Inline);
        // Computed indexes on members every stored job has, so adding them needs no backfill (ListingJobs/JobCursor).
        store.Schema.For<TrainingJob>()
            .Index(j => j.RegisteredAt)
            .Index(j => j.TrainingSystem)
            .Index(j => j.SiteId);
    }

    public static IEndpointRouteBuilder MapTrainingJobs(this IEndpointRouteBuilder app) => app.MapRegisterJob().MapListJobs().MapGetJob().MapListJobDecisions().MapCloseJob();
}
