using BalticAI.Sovereignty.Api.Decisions.Grants;
using BalticAI.Sovereignty.Api.Infrastructure.Validation;
using BalticAI.Sovereignty.Api.Provenance.Exporting;
using BalticAI.Sovereignty.Api.Provenance.IngestingLineage;
using BalticAI.Sovereignty.Api.Provenance.ModelVersions;
using BalticAI.Sovereignty.Api.Provenance.ModelVersions.GettingModelVersion;
using BalticAI.Sovereignty.Api.Provenance.ModelVersions.ListingModelVersions;
using BalticAI.Sovereignty.Api.Provenance.ModelVersions.RegisteringModelVersion;
using BalticAI.Sovereignty.Api.Provenance.Propagating;
using BalticAI.Sovereignty.Api.Provenance.QueryingLineage;
using BalticAI.Sovereignty.Api.Provenance.Runs;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BalticAI.Sovereignty.Api.Provenance;

public static class ProvenanceModule
{
    public static WebApplicationBuilder AddProvenance(this WebApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<JsonRequests>();
        builder.Services.AddSingleton<ModelVersionRegistrar>();
        builder.Services.AddSingleton<LineageFlagger>();
        builder.Services.ConfigureMarten(ConfigureStore);
        builder.Services.ConfigureMarten((services, store) => store.Projections.Subscribe(services.GetRequiredService<LineageFlagger>()));
        builder.Services.AddSingleton<ModelFlagNoticePublisher>();
        builder.Services.ConfigureMarten((services, store) => store.Projections.Subscribe(services.GetRequiredService<ModelFlagNoticePublisher>()));
        return builder;
    }

    /// <summary>Event types, inline projections and indexes of this slice; `balticai seed` composes them too, so seeded documents are the broker's.</summary>
    public static void ConfigureStore(StoreOptions store)
    {
        store.Events.AddEventTypes([typeof(TrainingRunEventRecorded), typeof(LineageViolationRecorded),
            typeof(ModelVersionRegistered), typeof(ModelVersionFlagged), typeof(ModelVersionUnflagged)]);
        store.Projections.Snapshot<TrainingRun>(SnapshotLifecycle.Inline);
        store.Projections.Snapshot<ModelVersionView>(SnapshotLifecycle.Inline);
        store.Projections.Add<LineageEdgeProjection>(ProjectionLifecycle.Inline);
        store.Schema.For<LineageEdge>().Index(e => e.DatasetId);
        store.Schema.For<ModelVersionView>().Index(m => m.ModelId);
        store.Schema.For<ModelProvider>();
    }

    public static IEndpointRouteBuilder MapProvenance(this IEndpointRouteBuilder app)
    {
        app.MapIngestLineage();
        app.MapRegisterModelVersion();
        app.MapGetModelVersion();
        app.MapListModelVersions();
        app.MapGetDatasetLineage();
        app.MapGetModelProvenance();
        app.MapExportProv();
        app.MapGetTrainingContentSummary();
        return app;
    }
}
