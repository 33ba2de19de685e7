using BalticAI.Sovereignty.Api.Infrastructure.Persistence;
using Microsoft.Extensions.Configuration;
using Npgsql;
using Shouldly;

namespace BalticAI.Sovereignty.Api.Tests.Platform;

public sealed class ConnectionStringTests
{
    [Theory]
    [InlineData("Host=db;Username=broker;Password=p", true)]
    [InlineData("Host=db;Username=broker;Password=p;No Reset On Close=false", false)]
    [InlineData("Host=db;Username=broker;Password=p;NoResetOnClose=false", false)]
    public void Pooled_connections_skip_the_reset_unless_the_operator_chose(string configured, bool expected)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = configured })
            .Build();

        var builder = new NpgsqlConnectionStringBuilder(configuration.GetPostgresConnectionString());

        builder.NoResetOnClose.ShouldBe(expected);
        builder.Host.ShouldBe("db");
        builder.Password.ShouldBe("p");
    }

    [Theory]
    [InlineData("Host=db;Username=broker;Password=p", MartenSetup.AutoPreparedStatements, 2)]
    [InlineData("Host=db;Username=broker;Password=p;Max Auto Prepare=0", 0, 5)]
    [InlineData("Host=db;Username=broker;Password=p;MaxAutoPrepare=20;Auto Prepare Min Usages=7", 20, 7)]
    [InlineData("Host=db;Username=broker;Password=p;Max Auto Prepare=30", 30, 5)]
    public void Repeated_statements_are_prepared_unless_the_operator_chose(string configured, int maxPrepared, int minUsages)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = configured })
            .Build();

        var builder = new NpgsqlConnectionStringBuilder(configuration.GetPostgresConnectionString());

        builder.MaxAutoPrepare.ShouldBe(maxPrepared);
        builder.AutoPrepareMinUsages.ShouldBe(minUsages);
        builder.Username.ShouldBe("broker");
    }
}
