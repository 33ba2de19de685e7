using System.CommandLine;
using BalticAI.Sovereignty.Cli.Ledger;
using Npgsql;

namespace BalticAI.Sovereignty.Cli.Tests.Ledger;

/// <summary>
/// `balticai ledger missing` against the PostgreSQL scripts/test.sh starts, on a schema of its own holding
/// just the columns the check reads (the broker's real schema is covered by LedgerCompletenessTests).
/// </summary>
public sealed class MissingCommandTests : IAsyncLifetime
{
    private static readonly string Connection = Environment.GetEnvironmentVariable("BALTICAI_TEST_POSTGRES")
        ?? "Host=127.0.0.1;Port=5432;Database=balticai;Username=balticai;Password=balticai;Timeout=5;Command Timeout=30";

    private readonly string _schema = "t_missing_" + Guid.NewGuid().ToString("N")[..12];

    public async Task InitializeAsync() => await ExecuteAsync($"""
        create schema {_schema};
        create table {_schema}.mt_events (seq_id bigint primary key, id uuid not null, type text not null, timestamp timestamptz not null);
        create table {_schema}.ledger_leaves (idx bigint primary key, seq_id bigint not null unique, event_id uuid not null);
        insert into {_schema}.mt_events values
            (1, gen_random_uuid(), 'dataset_registered', now() - interval '1 hour'),
            (2, gen_random_uuid(), 'access_decided', now() - interval '1 hour'),
            (3, gen_random_uuid(), 'grant_issued', now() - interval '1 hour');
        insert into {_schema}.ledger_leaves select seq_id - 1, seq_id, id from {_schema}.mt_events;
        """);

    public async Task DisposeAsync() => await ExecuteAsync($"drop schema if exists {_schema} cascade");

    [Fact]
    public async Task A_complete_ledger_exits_0()
    {
        var (exit, output, error) = await RunAsync();

        exit.ShouldBe(0, error);
        output.ShouldBeEmpty();
        error.ShouldContain("every event recorded more than 60 s ago is in the tree");
    }

    [Fact]
    public async Task A_skipped_event_and_one_the_builder_has_not_reached_are_listed_and_exit_1()
    {
        await ExecuteAsync($"""
            delete from {_schema}.ledger_leaves where seq_id = 2;
            insert into {_schema}.mt_events values (4, gen_random_uuid(), 'grant_redeemed', now() - interval '10 minutes'),
                (5, gen_random_uuid(), 'grant_redeemed', now());
            """);

        var (exit, output, _) = await RunAsync();

        exit.ShouldBe(1);
        var lines = output.Trim().Split('\n');
        lines.Length.ShouldBe(2, "the event of a moment ago is still within --older-than");
        lines[0].ShouldStartWith("2\t");
        lines[0].ShouldContain("access_decided");
        lines[0].ShouldEndWith("skipped: later events are in the tree");
        lines[1].ShouldStartWith("4\t");
        lines[1].ShouldEndWith("the tree builder is behind");
    }

    [Fact]
    public async Task A_schema_without_a_ledger_exits_2()
    {
        var (exit, _, error) = await RunAsync("no_such_schema_" + Guid.NewGuid().ToString("N")[..8]);

        exit.ShouldBe(2);
        error.ShouldContain("cannot read the ledger");
    }

    [Theory]
    [InlineData("--limit", "0")]
    [InlineData("--limit", "-1")]
    public async Task A_limit_that_lists_nothing_exits_2_not_0(string option, string value)
    {
        await ExecuteAsync($"delete from {_schema}.ledger_leaves where seq_id = 2");

        var (exit, _, error) = await RunAsync(extra: [option, value]);

        exit.ShouldBe(2);
        error.ShouldContain(option);
    }

    private async Task<(int Exit, string Output, string Error)> RunAsync(string? schema = null, string[]? extra = null)
    {
        var root = new RootCommand { LedgerCommand.Create() };
        var output = new StringWriter();
        var error = new StringWriter();
        string[] args = ["ledger", "missing", "--connection", Connection, "--schema", schema ?? _schema, "--older-than", "60", .. extra ?? []];
        var exit = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString().Replace("\r", ""), error.ToString());
    }

    private static async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Connection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
