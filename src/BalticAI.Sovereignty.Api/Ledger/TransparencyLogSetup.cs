using BalticAI.Sovereignty.Api.Infrastructure.Health;
using BalticAI.Sovereignty.Api.Infrastructure.Persistence;
using BalticAI.Sovereignty.Api.Ledger.Holding;
using BalticAI.Sovereignty.Api.Ledger.Checkpointing;
using BalticAI.Sovereignty.Api.Ledger.GettingCheckpoints;
using BalticAI.Sovereignty.Api.Ledger.GettingEntries;
using BalticAI.Sovereignty.Api.Ledger.GettingProofs;
using BalticAI.Sovereignty.Api.Ledger.QueryingEvents;
using BalticAI.Sovereignty.Api.Ledger.RecordingReads;
using BalticAI.Sovereignty.Api.Ledger.Tree;
using BalticAI.Sovereignty.Api.Ledger.Witnessing;
using Marten;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BalticAI.Sovereignty.Api.Ledger;

public static class TransparencyLogSetup
{
    /// <summary>The Merkle tree with its checkpoints and proofs, and the ledger event index with its recorded reads.</summary>
    public static WebApplicationBuilder AddTransparencyLog(this WebApplicationBuilder builder) =>
        builder.AddLedgerTree().AddLedgerEventIndex();

    /// <summary>The tree builder and the checkpointer (a subscription and a hosted service).</summary>
    public static WebApplicationBuilder AddLedgerTree(this WebApplicationBuilder builder)
    {
        builder.AddLedgerStore();
        builder.Services.AddSingleton<IValidateOptions<TransparencyLogOptions>, WitnessRegistrationValidator>();
        builder.Services.AddOptions<TransparencyLogOptions>().BindConfiguration(TransparencyLogOptions.SectionName)
            .PostConfigure(WitnessKeyFiles.Resolve).ValidateOnStart();
        builder.Services.AddSingleton<CheckpointStore>();
        builder.Services.AddSingleton<ProofService>();
        builder.Services.AddSingleton<LedgerTreeBuilder>();
        builder.Services.AddSingleton<Checkpointer>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Checkpointer>());
        builder.Services.ConfigureMarten((services, store) =>
        {
            store.Storage.ExtendedSchemaObjects.AddRange(LedgerSchema.Tables(store.DatabaseSchemaName));
            // The tree builder reads raw rows, so events of types this build does not know (written by a
            // newer node or a seeding tool) must not stop the daemon's page; they still become entries.
            // The setting applies to every subscription: the feeds and the event index find what their
            // page lacks themselves and hold before it (Holding/UnreadEvents), so nothing is skipped for them.
            store.Projections.Errors.SkipUnknownEvents = true;
            store.Events.Subscribe(services.GetRequiredService<LedgerTreeBuilder>());
        });
        return builder;
    }

    /// <summary>The event index behind `GET /ledger/events`, and the recording of auditors' and regulators' reads.</summary>
    public static WebApplicationBuilder AddLedgerEventIndex(this WebApplicationBuilder builder)
    {
        builder.AddLedgerStore();
        builder.Services.AddSingleton<LedgerEventIndexer>();
        builder.Services.AddSingleton<LedgerEventReader>();
        builder.Services.AddSingleton<ReadRecorder>();
        builder.Services.ConfigureMarten((services, store) =>
        {
            store.Storage.ExtendedSchemaObjects.AddRange(LedgerEventIndexSchema.Tables(store.DatabaseSchemaName));
            store.Events.AddEventType<LedgerReadRecorded>();
            store.Events.Subscribe(services.GetRequiredService<LedgerEventIndexer>());
        });
        // Both are subscriptions: they run in the async daemon that MartenSetup adds.
        return builder;
    }

    private static void AddLedgerStore(this WebApplicationBuilder builder)
    {
        var schema = (builder.Configuration.GetSection(PersistenceOptions.SectionName).Get<PersistenceOptions>() ?? new PersistenceOptions()).Schema;
        var connectionString = builder.Configuration.GetPostgresConnectionString();
        builder.Services.TryAddSingleton(_ => new LedgerStore(NpgsqlDataSource.Create(connectionString), schema));
        if (!builder.Services.Any(s => s.ServiceType == typeof(SubscriptionHolds)))
        {
            // The regulator feeds use these too; Program composes them with the ledger.
            builder.Services.AddSingleton<UnreadEvents>();
            builder.Services.AddSingleton<SubscriptionHolds>();
            builder.Services.AddHealthChecks().AddCheck<SubscriptionHoldsHealthCheck>("ledger-subscriptions", tags: [HealthSetup.ReadyTag]);
        }
    }

    public static IEndpointRouteBuilder MapLedgerEndpoints(this IEndpointRouteBuilder app)
    {
        var ledger = app.MapGroup("").AllowAnonymous().WithTags("Ledger");
        ledger.MapGetCheckpoints();
        ledger.MapGetProofs();
        ledger.MapGetEntries();
        ledger.MapGetWitnesses();
        // The log is open, so a path that matches none of its routes (a size that is no number, an id that is no
        // GUID) is answered 404 to anyone; without this the fallback policy answered an anonymous auditor 401.
        ledger.MapGet("/ledger/{**path}", (string? path) => TypedResults.Problem(
                $"The transparency log has no resource at /ledger/{path} (docs/ledger-format.md lists its routes).",
                statusCode: StatusCodes.Status404NotFound, title: "No such ledger resource"))
            .WithName("UnknownLedgerPath")
            .ExcludeFromDescription();
        app.MapGroup("").WithTags("Ledger").MapAddCosignature();
        app.MapQueryEvents();
        return app;
    }
}
