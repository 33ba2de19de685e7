using System.Security.Cryptography;
using System.Text;
using BalticAI.Sovereignty.Api.Feeds.Delivery;
using BalticAI.Sovereignty.Api.Feeds.Outbox;
using BalticAI.Sovereignty.Api.Infrastructure.Persistence;
using Marten;
using Marten.Events.Daemon.Coordination;
using Npgsql;

namespace BalticAI.Sovereignty.Api.Feeds;

public static class FeedsSetup
{
    /// <summary>The feeds' own data source, keyed so that it never stands in for another slice's.</summary>
    public const string DataSourceKey = "feeds";

    public static WebApplicationBuilder AddRegulatorFeeds(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(FeedsOptions.SectionName);
        builder.Services.Configure<FeedsOptions>(section);
        var options = section.Get<FeedsOptions>() ?? new FeedsOptions();
        if (!options.Enabled)
        {
            return builder;
        }
        foreach (var (id, authority) in options.Authorities)
        {
            if (!Contracts.Feeds.FeedNames.IsFeed(authority.Feed))
            {
                throw new InvalidOperationException($"Feeds:Authorities:{id}:Feed '{authority.Feed}' is not one of PL, EE, LT, LV, EU");
            }
        }
        var connectionString = builder.Configuration.GetPostgresConnectionString();
        builder.Services.AddKeyedSingleton(DataSourceKey, (_, _) => NpgsqlDataSource.Create(connectionString));
        builder.Services.AddSingleton<FeedLog>();
        builder.Services.AddSingleton<FeedSealer>();
        builder.Services.AddSingleton<RabbitFeedPublisher>();
        builder.Services.AddSingleton<FeedForwarder>();
        builder.Services.ConfigureMarten((services, store) =>
        {
            store.Storage.ExtendedSchemaObjects.Add(FeedLogTable.Build(store.DatabaseSchemaName));
            // The fast path is normally this node's own commits waking the daemon (CommitWakeup); with
            // ListenNotify every node's commits NOTIFY it instead, at a database round trip per commit.
            if (options.ListenNotify)
            {
                store.Projections.Wakeup = null;
                store.Events.UseListenNotifyForEventAppends = true;
            }
            store.Projections.Subscribe(services.GetRequiredService<FeedForwarder>());
            store.Projections.AsyncMode = options.DaemonMode;
            // The hot/cold lock is a database-wide advisory lock: derive it from the schema so that
            // brokers on other schemas of the same database (tests, other environments) do not contend.
            store.Projections.DaemonLockId = LockIdOf(store.DatabaseSchemaName);
        });
        // What Marten's AddAsyncDaemon registers, done here because the store is composed elsewhere;
        // skipped when another slice already started the daemon.
        if (!builder.Services.Any(s => s.ServiceType == typeof(IProjectionCoordinator)))
        {
            builder.Services.AddSingleton<IProjectionCoordinator, ProjectionCoordinator>();
            builder.Services.AddSingleton<IHostedService>(s => s.GetRequiredService<IProjectionCoordinator>());
            builder.Services.AddSingleton<JasperFx.Events.Daemon.IProjectionCoordinator>(s => s.GetRequiredService<IProjectionCoordinator>());
        }
        return builder;
    }

    private static int LockIdOf(string schema) =>
        BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes("balticai-feeds:" + schema))) & int.MaxValue;
}
