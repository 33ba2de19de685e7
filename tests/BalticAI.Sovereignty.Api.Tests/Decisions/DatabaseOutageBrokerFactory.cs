using BalticAI.Sovereignty.Api.Tests.Fixtures;
using Npgsql;

namespace BalticAI.Sovereignty.Api.Tests.Decisions;

/// <summary>A broker that reaches PostgreSQL through a relay the test can cut; the test itself counts rows directly.</summary>
public sealed class DatabaseOutageBrokerFactory : BrokerFactory
{
    public DatabaseOutageBrokerFactory()
    {
        var direct = new NpgsqlConnectionStringBuilder(TestServices.PostgresConnectionString);
        Database = new CuttableTcpRelay(direct.Host!, direct.Port);
    }

    public const int DefaultRetryAfterSeconds = 7;

    public CuttableTcpRelay Database { get; }

    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var settings = base.Settings;
            settings["ConnectionStrings:Postgres"] = new NpgsqlConnectionStringBuilder(TestServices.PostgresConnectionString)
            {
                Host = "127.0.0.1",
                Port = Database.Port,
            }.ConnectionString;
            // Not the shipped default, so that a 503 carrying it shows the setting is what the database outage uses.
            settings["Problems:RetryAfterSeconds"] = DefaultRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return settings;
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Database.DisposeAsync();
    }
}
