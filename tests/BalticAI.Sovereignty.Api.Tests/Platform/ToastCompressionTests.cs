using BalticAI.Sovereignty.Api.Feeds.Outbox;
using BalticAI.Sovereignty.Api.Infrastructure.Persistence;
using BalticAI.Sovereignty.Api.Tests.Feeds;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using Npgsql;

namespace BalticAI.Sovereignty.Api.Tests.Platform;

public sealed class ToastCompressionTests(FeedBrokerFactory factory) : IClassFixture<FeedBrokerFactory>
{
    [Fact]
    public void Wide_columns_not_yet_lz4_are_altered_when_the_server_has_lz4()
    {
        var current = new Dictionary<(string, string), string>
        {
            [("mt_events", "data")] = "default",
            [(FeedLogTable.Name, "body")] = "pglz",
        };

        ToastCompression.Statements("s1", lz4Available: true, current).ShouldBe(
        [
            "alter table s1.mt_events alter column data set compression lz4",
            $"alter table s1.{FeedLogTable.Name} alter column body set compression lz4",
        ]);
    }

    [Fact]
    public void Nothing_is_altered_without_lz4_for_columns_already_lz4_or_for_tables_not_there()
    {
        var pglz = new Dictionary<(string, string), string> { [("mt_events", "data")] = "pglz", [(FeedLogTable.Name, "body")] = "default" };
        ToastCompression.Statements("s1", lz4Available: false, pglz).ShouldBeEmpty();

        var done = new Dictionary<(string, string), string> { [("mt_events", "data")] = "lz4" };
        ToastCompression.Statements("s1", lz4Available: true, done).ShouldBeEmpty();
    }

    [Fact]
    public async Task The_broker_leaves_its_wide_columns_on_lz4_when_the_server_has_it_and_a_second_pass_changes_nothing()
    {
        factory.CreateClient().Dispose();
        await using var connection = new NpgsqlConnection(TestServices.PostgresConnectionString);
        await connection.OpenAsync();
        await using var probe = new NpgsqlCommand("select 'lz4' = any(enumvals) from pg_settings where name = 'default_toast_compression'", connection);
        var serverHasLz4 = await probe.ExecuteScalarAsync() is true;

        var methods = await MethodsAsync(connection, factory.Schema);

        methods.Keys.ShouldBe([(FeedLogTable.Name, "body"), ("mt_events", "data")], ignoreOrder: true);
        // Without lz4 the server's default stays: an lz4 setting there would fail every insert.
        methods.Values.ShouldAllBe(m => m == (serverHasLz4 ? 'l' : '\0'));
        (await ToastCompression.ApplyAsync(connection, factory.Schema, CancellationToken.None)).ShouldBeEmpty();
    }

    private static async Task<Dictionary<(string, string), char>> MethodsAsync(NpgsqlConnection connection, string schema)
    {
        await using var command = new NpgsqlCommand(
            """
            select c.relname, a.attname, a.attcompression from pg_attribute a
            join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = $1 and ((c.relname = 'mt_events' and a.attname = 'data') or (c.relname = $2 and a.attname = 'body'))
            """, connection);
        command.Parameters.AddWithValue(schema);
        command.Parameters.AddWithValue(FeedLogTable.Name);
        await using var reader = await command.ExecuteReaderAsync();
        var methods = new Dictionary<(string, string), char>();
        while (await reader.ReadAsync())
        {
            methods[(reader.GetString(0), reader.GetString(1))] = reader.GetChar(2);
        }
        return methods;
    }
}
