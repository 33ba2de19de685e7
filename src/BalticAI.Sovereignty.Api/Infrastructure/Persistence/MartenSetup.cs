using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using Marten;
using Npgsql;

namespace BalticAI.Sovereignty.Api.Infrastructure.Persistence;

public sealed class PersistenceOptions
{
    public const string SectionName = "Marten";

    /// <summary>PostgreSQL schema holding documents and events; tests use one per fixture.</summary>
    public string Schema { get; set; } = "balticai";

    /// <summary>Build or patch the schema at start (development, tests); production applies a reviewed patch.</summary>
    public bool ApplySchemaOnStartup { get; set; }

    /// <summary>`Solo` for one node; `HotCold` when several broker nodes share the database.</summary>
    public DaemonMode DaemonMode { get; set; } = DaemonMode.Solo;

    /// <summary>Shortest time between two wakes of the daemon by this node's commits (see <see cref="CommitWakeup"/>).</summary>
    public TimeSpan DaemonWakeupInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How often the daemon looks for other nodes' commits when nothing woke it.</summary>
    public TimeSpan DaemonPollingInterval { get; set; } = TimeSpan.FromMilliseconds(250);
}

public static class MartenSetup
{
    public const string ConnectionStringName = "Postgres";

    /// <summary>Statements each pooled connection keeps prepared (Npgsql's LRU of auto-prepared statements).</summary>
    public const int AutoPreparedStatements = 100;

    /// <summary>
    /// The configured connection string, with two defaults for keywords the operator did not write.
    /// Pooled connections are kept as they are when returned: Npgsql's default reset, DISCARD ALL, also
    /// throws away the plans PostgreSQL cached for Marten's append function, so every append was planned
    /// again (0.94 ms per append against 0.33 ms without the reset, under the feed benchmark's load). The
    /// broker keeps no session state on pooled connections (no SET, temporary tables or session advisory
    /// locks; the daemon's leader lock lives on a connection of its own), which is what the reset protects.
    /// And statements run twice are prepared: the broker sends the same few dozen statements all day,
    /// unprepared PostgreSQL parsed and planned each one every time, which under the decision load test was
    /// 12% of the machine's CPU (parse, analyse, plan), down to about 1% prepared.
    /// </summary>
    public static string GetPostgresConnectionString(this IConfiguration configuration)
    {
        var configured = configuration.GetConnectionString(ConnectionStringName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{ConnectionStringName} is missing");
        // Npgsql's builder knows every keyword, so whether the operator wrote one is read from the raw pairs.
        var written = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = configured }.Keys
            .Cast<string>().Select(k => k.Replace(" ", "")).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var builder = new NpgsqlConnectionStringBuilder(configured);
        if (!written.Contains(nameof(NpgsqlConnectionStringBuilder.NoResetOnClose)))
        {
            builder.NoResetOnClose = true;
        }
        if (!written.Contains(nameof(NpgsqlConnectionStringBuilder.MaxAutoPrepare)))
        {
            builder.MaxAutoPrepare = AutoPreparedStatements;
            if (!written.Contains(nameof(NpgsqlConnectionStringBuilder.AutoPrepareMinUsages)))
            {
                builder.AutoPrepareMinUsages = 2;
            }
        }
        return builder.ConnectionString;
    }

    /// <summary>How every writer of the ledger (the broker, the seeder) stores events.</summary>
    public static void ConfigureEvents(StoreOptions store)
    {
        store.Events.StreamIdentity = StreamIdentity.AsGuid;
        // Nearly every write starts new streams (decisions, grants), whose versions are known without
        // asking the database. Rich appends send them as plain inserts after one nextval round trip per
        // commit; Quick (Marten 9's default) calls a PL/pgSQL function per stream, which cost 170 µs of
        // PostgreSQL time per stream against 100 µs for the inserts under the decision load test
        // (pg_stat_statements).
        store.Events.AppendMode = EventAppendMode.Rich;
        store.Events.MetadataConfig.HeadersEnabled = true;
        store.Events.MetadataConfig.CorrelationIdEnabled = true;
        store.Events.MetadataConfig.CausationIdEnabled = true;
    }

    public static WebApplicationBuilder AddSovereigntyPersistence(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(PersistenceOptions.SectionName).Get<PersistenceOptions>() ?? new PersistenceOptions();
        var connectionString = builder.Configuration.GetPostgresConnectionString();
        var wakeup = new CommitWakeup(options.DaemonWakeupInterval, TimeProvider.System);
        builder.Services.AddSingleton(wakeup);
        var marten = builder.Services.AddMarten(store =>
            {
                store.Connection(connectionString);
                store.DatabaseSchemaName = options.Schema;
                store.Events.DatabaseSchemaName = options.Schema;
                ConfigureEvents(store);
                store.AutoCreateSchemaObjects = options.ApplySchemaOnStartup ? AutoCreate.CreateOrUpdate : AutoCreate.None;
                // The hot/cold lock is database-wide: derive it from the schema so brokers on other
                // schemas of the same database (tests, other environments) do not contend for it.
                store.Projections.DaemonLockId = BitConverter.ToInt32(
                    System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("balticai-daemon:" + options.Schema))) & int.MaxValue;
                store.Projections.Wakeup = wakeup;
                store.Listeners.Add(new WakeDaemonOnCommit(wakeup));
                // Marten's default, said out loud: a sequence gap left by a transaction that is still alive
                // (a slow commit) is waited for, never skipped after the stale threshold; skipping it would
                // keep an acknowledged event out of the tree, the index and every feed (LateCommitTests).
                store.Projections.UseTransactionEvidenceForGapSkipping = true;
                store.Projections.SkipStaleGapsDespiteLiveTransactionsAfter = null;
                store.Projections.SlowPollingTime = options.DaemonPollingInterval;
                store.Projections.FastPollingTime = options.DaemonPollingInterval < store.Projections.FastPollingTime
                    ? options.DaemonPollingInterval : store.Projections.FastPollingTime;
            })
            .UseLightweightSessions()
            // Subscriptions (feeds, grant revocation, the transparency log) run in the async daemon.
            .AddAsyncDaemon(options.DaemonMode);
        if (options.ApplySchemaOnStartup)
        {
            marten.ApplyAllDatabaseChangesOnStartup();
            builder.Services.AddHostedService(sp => new ToastCompressionOnStartup(
                builder.Configuration, options, sp.GetRequiredService<ILogger<ToastCompressionOnStartup>>()));
        }
        return builder;
    }
}
