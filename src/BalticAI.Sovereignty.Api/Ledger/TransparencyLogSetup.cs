using BalticAI.Sovereignty.Api.Infrastructure.Persistence;
using BalticAI.Sovereignty.Api.Ledger.Checkpointing;
using BalticAI.Sovereignty.Api.Ledger.GettingCheckpoints;
using BalticAI.Sovereignty.Api.Ledger.GettingEntries;
using BalticAI.Sovereignty.Api.Ledger.GettingProofs;
using BalticAI.Sovereignty.Api.Ledger.QueryingEvents;
using BalticAI.Sovereignty.Api.Ledger.RecordingReads;
using BalticAI.Sovereignty.Api.Ledger.Tree;
using BalticAI.Sovereignty.Api.Ledger.Witnessing;
using Marten;
using Npgsql;

namespace BalticAI.Sovereignty.Api.Ledger;

public static class TransparencyLogSetup
{
    public static WebApplicationBuilder AddTransparencyLog(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<TransparencyLogOptions>(builder.Configuration.GetSection(TransparencyLogOptions.SectionName));
        var schema = (builder.Configuration.GetSection(PersistenceOptions.SectionName).Get<PersistenceOptions>() ?? new PersistenceOptions()).Schema;
        var connectionString = builder.Configuration.GetPostgresConnectionString();
        builder.Services.AddSingleton(_ => new LedgerStore(NpgsqlDataSource.Create(connectionString), schema));
        builder.Services.AddSingleton<CheckpointStore>();
        builder.Services.AddSingleton<ProofService>();
        builder.Services.AddSingleton<LedgerTreeBuilder>();
        builder.Services.AddSingleton<Checkpointer>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Checkpointer>());
        builder.Services.AddSingleton<LedgerEventIndexer>();
        builder.Services.AddSingleton<LedgerEventReader>();
        builder.Services.AddSingleton<ReadRecorder>();
        builder.Services.ConfigureMarten((services, store) =>
        {
            store.Storage.ExtendedSchemaObjects.AddRange(LedgerSchema.Tables(schema));
            store.Storage.ExtendedSchemaObjects.AddRange(LedgerEventIndexSchema.Tables(schema));
            store.Events.AddEventType<LedgerReadRecorded>();
            // The tree builder reads raw rows, so events of types this build does not know (written by a
            // newer node or a seeding tool) must not stop the daemon's page; they still become entries.
            store.Projections.Errors.SkipUnknownEvents = true;
            store.Events.Subscribe(services.GetRequiredService<LedgerTreeBuilder>());
            store.Events.Subscribe(services.GetRequiredService<LedgerEventIndexer>());
        });
        // The tree builder and the event index are subscriptions: they run in the async daemon that MartenSetup adds.
        return builder;
    }

    public static IEndpointRouteBuilder MapLedgerEndpoints(this IEndpointRouteBuilder app)
    {
        var ledger = app.MapGroup("").AllowAnonymous().WithTags("Ledger");
        ledger.MapGetCheckpoints();
        ledger.MapGetProofs();
        ledger.MapGetEntries();
        app.MapGroup("").WithTags("Ledger").MapAddCosignature();
        app.MapQueryEvents();
        return app;
    }
}
