using JasperFx;
using JasperFx.Events;
using Marten;

namespace BalticAI.Sovereignty.Api.Infrastructure.Persistence;

public sealed class PersistenceOptions
{
    public const string SectionName = "Marten";

    /// <summary>PostgreSQL schema holding documents and events; tests use one per fixture.</summary>
    public string Schema { get; set; } = "balticai";

    /// <summary>Build or patch the schema at start (development, tests); production applies a reviewed patch.</summary>
    public bool ApplySchemaOnStartup { get; set; }
}

public static class MartenSetup
{
    public const string ConnectionStringName = "Postgres";

    public static string GetPostgresConnectionString(this IConfiguration configuration) =>
        configuration.GetConnectionString(ConnectionStringName)
        ?? throw new InvalidOperationException($"ConnectionStrings:{ConnectionStringName} is missing");

    public static WebApplicationBuilder AddSovereigntyPersistence(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(PersistenceOptions.SectionName).Get<PersistenceOptions>() ?? new PersistenceOptions();
        var connectionString = builder.Configuration.GetPostgresConnectionString();
        var marten = builder.Services.AddMarten(store =>
            {
                store.Connection(connectionString);
                store.DatabaseSchemaName = options.Schema;
                store.Events.DatabaseSchemaName = options.Schema;
                store.Events.StreamIdentity = StreamIdentity.AsGuid;
                store.Events.MetadataConfig.HeadersEnabled = true;
                store.Events.MetadataConfig.CorrelationIdEnabled = true;
                store.Events.MetadataConfig.CausationIdEnabled = true;
                store.AutoCreateSchemaObjects = options.ApplySchemaOnStartup ? AutoCreate.CreateOrUpdate : AutoCreate.None;
            })
            .UseLightweightSessions();
        if (options.ApplySchemaOnStartup)
        {
            marten.ApplyAllDatabaseChangesOnStartup();
        }
        return builder;
    }
}
