using BalticAI.Sovereignty.Api.Infrastructure.Persistence;
using BalticAI.Sovereignty.Api.Ledger.Checkpointing;
using BalticAI.Sovereignty.Api.Ledger.GettingCheckpoints;
using BalticAI.Sovereignty.Api.Ledger.GettingEntries;
using BalticAI.Sovereignty.Api.Ledger.GettingProofs;
using BalticAI.Sovereignty.Api.Ledger.Tree;
using BalticAI.Sovereignty.Api.Ledger.Witnessing;
using JasperFx.Events.Daemon;
using Marten;
using MartenCoordinator = Marten.Events.Daemon.Coordination.IProjectionCoordinator;
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
        builder.Services.ConfigureMarten((services, store) =>
        {
            store.Storage.ExtendedSchemaObjects.AddRange(LedgerSchema.Tables(schema));
            // The tree builder reads raw rows, so events of types this build does not know (written by a
            // newer node or a seeding tool) must not stop the daemon's page; they still become entries.
            store.Projections.Errors.SkipUnknownEvents = true;
            store.Events.Subscribe(services.GetRequiredService<LedgerTreeBuilder>());
        });
        AddAsyncDaemon(builder.Services);
        return builder;
    }

    /// <summary>
    /// The tree builder is a subscription, so it needs the async daemon. This does what Marten's
    /// AddAsyncDaemon(Solo) does (that needs the AddMarten expression, which only MartenSetup holds) and
    /// leaves a daemon someone else configured alone.
    /// </summary>
    private static void AddAsyncDaemon(IServiceCollection services)
    {
        services.ConfigureMarten(store =>
        {
            if (store.Projections.AsyncMode == DaemonMode.Disabled)
            {
                store.Projections.AsyncMode = DaemonMode.Solo;
            }
        });
        if (services.Any(d => d.ServiceType == typeof(MartenCoordinator)))
        {
            return;
        }
        services.AddSingleton<MartenCoordinator, Marten.Events.Daemon.Coordination.ProjectionCoordinator>();
        services.AddSingleton<IHostedService>(sp => (IHostedService)sp.GetRequiredService<MartenCoordinator>());
        services.AddSingleton<IProjectionCoordinator>(sp => sp.GetRequiredService<MartenCoordinator>());
    }

    public static IEndpointRouteBuilder MapLedgerEndpoints(this IEndpointRouteBuilder app)
    {
        var ledger = app.MapGroup("").AllowAnonymous().WithTags("Ledger");
        ledger.MapGetCheckpoints();
        ledger.MapGetProofs();
        ledger.MapGetEntries();
        app.MapGroup("").WithTags("Ledger").MapAddCosignature();
        return app;
    }
}
