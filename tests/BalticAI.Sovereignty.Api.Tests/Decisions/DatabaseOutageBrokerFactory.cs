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
            return settings;
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Database.DisposeAsync();
    }
}
