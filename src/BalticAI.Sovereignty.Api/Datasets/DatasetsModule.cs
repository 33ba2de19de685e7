using BalticAI.Sovereignty.Api.Datasets.AmendingTerms;
using BalticAI.Sovereignty.Api.Datasets.Demo;
using BalticAI.Sovereignty.Api.Datasets.GettingDataset;
using BalticAI.Sovereignty.Api.Datasets.GettingHistory;
using BalticAI.Sovereignty.Api.Datasets.ListingDatasets;
using BalticAI.Sovereignty.Api.Datasets.ListingDecisions;
using BalticAI.Sovereignty.Api.Datasets.ListingVersions;
using BalticAI.Sovereignty.Api.Datasets.PublishingVersion;
using BalticAI.Sovereignty.Api.Datasets.ReferenceData;
using BalticAI.Sovereignty.Api.Datasets.RegisteringDataset;
using BalticAI.Sovereignty.Api.Datasets.Restricting;
using BalticAI.Sovereignty.Api.Datasets.Withdrawing;
using BalticAI.Sovereignty.Api.Infrastructure.Idempotency;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Infrastructure.Validation;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BalticAI.Sovereignty.Api.Datasets;

public sealed class DatasetsOptions
{
    public const string SectionName = "Datasets";

    /// <summary>Request schemas (default: `schemas/` beside the binaries, copied from the repository's `schemas/`).</summary>
    public string? SchemaPath { get; set; }

    /// <summary>Countries, sites, security classes, licences (default: `policies/data/` beside the binaries).</summary>
    public string? ReferenceDataPath { get; set; }

    /// <summary>Register the demo datasets at start-up, once (development and demos only).</summary>
    public bool SeedDemo { get; set; }
}

public static class DatasetsModule
{
    public static WebApplicationBuilder AddDatasets(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(DatasetsOptions.SectionName).Get<DatasetsOptions>() ?? new DatasetsOptions();
        builder.Services.AddSingleton(new JsonSchemaCatalog(Resolve(builder, options.SchemaPath) ?? JsonSchemaCatalog.DefaultDirectory));
        builder.Services.AddSingleton(DatasetReferenceData.Load(Resolve(builder, options.ReferenceDataPath) ?? DatasetReferenceData.DefaultDirectory));
        builder.Services.TryAddSingleton<JsonRequests>();
        builder.Services.AddSingleton<DatasetRequests>();
        builder.AddSovereigntyIdempotency();
        builder.Services.ConfigureMarten(ConfigureStore);
        if (options.SeedDemo)
        {
            builder.Services.AddHostedService<DemoSeeder>();
        }
        return builder;
    }

    /// <summary>Event types, inline projections and indexes of this slice; `balticai seed` composes them too, so seeded documents are the broker's.</summary>
    public static void ConfigureStore(StoreOptions store)
    {
        store.Events.AddEventTypes([typeof(DatasetRegistered), typeof(DatasetVersionPublished), typeof(DatasetTermsAmended),
            typeof(DatasetRestricted), typeof(DatasetRestrictionLifted), typeof(DatasetWithdrawn), typeof(DatasetVersionWithdrawn),
            typeof(DerivedDatasetFlagged), typeof(DerivedDatasetUnflagged)]);
        store.Projections.Add<DatasetViewProjection>(ProjectionLifecycle.Inline);
        store.Schema.For<DatasetView>()
            .Duplicate(d => d.SortKey, notNull: true)
            .Duplicate(d => d.Owner)
            .Duplicate(d => d.Status)
            .Duplicate(d => d.SourceType)
            .GinIndexJsonData();
    }

    public static IEndpointRouteBuilder MapDatasets(this IEndpointRouteBuilder app)
    {
        app.MapRegisterDataset();
        app.MapGetDataset();
        app.MapListDatasets();
        app.MapPublishVersion();
        app.MapListVersions();
        app.MapAmendTerms();
        app.MapRestrictDataset();
        app.MapWithdrawDataset();
        app.MapWithdrawVersion();
        app.MapGetHistory();
        app.MapListDecisions();
        JsonSchemaCatalog.MapRequestSchemas(app);
        return app;
    }

    private static string? Resolve(WebApplicationBuilder builder, string? path) =>
        path is null ? null : IdentitySetup.ResolvePath(builder.Environment, path);
}
