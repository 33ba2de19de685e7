using BalticAI.Sovereignty.Api.Feeds.Outbox;
using Npgsql;

namespace BalticAI.Sovereignty.Api.Infrastructure.Persistence;

/// <summary>
/// Every allowed decision writes values above PostgreSQL's 2 kB TOAST threshold: the recorded event with
/// its whole policy input (about 3 kB) and one sealed envelope of about 2.4 kB per feed. With the default
/// pglz compression those inserts cost 50 µs per envelope row, with lz4 28 µs for the same size on disk;
/// under the decision load test pglz was 3-4% of the machine's CPU. So these columns use lz4 where the
/// server was built with it (the official images and Debian's packages are), and keep the server's
/// default elsewhere: an lz4 setting on a server without it would fail. Compression is a column property
/// Marten's schema diff does not track, so it is applied after the schema, and only changed values are
/// compressed the new way (no table rewrite).
/// </summary>
public static class ToastCompression
{
    public const string Method = "lz4";

    /// <summary>Tables (in the broker's schema) and their wide, write-hot columns.</summary>
    public static readonly IReadOnlyList<(string Table, string Column)> WideColumns =
    [
        ("mt_events", "data"),
        (FeedLogTable.Name, "body"),
    ];

    /// <summary>
    /// The statements that bring the existing wide columns to lz4: none when the server lacks it, none for
    /// a column already there, none for a table this configuration does not create (e.g. feeds off).
    /// </summary>
    public static IReadOnlyList<string> Statements(string schema, bool lz4Available, IReadOnlyDictionary<(string Table, string Column), string> current)
    {
        if (!lz4Available)
        {
            return [];
        }
        return WideColumns
            .Where(c => current.TryGetValue(c, out var method) && method != Method)
            .Select(c => $"alter table {schema}.{c.Table} alter column {c.Column} set compression {Method}")
            .ToList();
    }

    public static async Task<IReadOnlyList<string>> ApplyAsync(NpgsqlConnection connection, string schema, CancellationToken ct)
    {
        await using (var probe = new NpgsqlCommand(
            "select coalesce((select @method = any(enumvals) from pg_settings where name = 'default_toast_compression'), false)", connection))
        {
            probe.Parameters.AddWithValue("method", Method);
            if (await probe.ExecuteScalarAsync(ct) is not true)
            {
                return [];
            }
        }
        var current = new Dictionary<(string, string), string>();
        await using (var columns = new NpgsqlCommand(
            """
            select c.relname, a.attname, case a.attcompression when 'l' then 'lz4' when 'p' then 'pglz' else 'default' end
            from pg_attribute a
            join pg_class c on c.oid = a.attrelid
            join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = @schema and not a.attisdropped and (c.relname, a.attname) in (select * from unnest(@tables, @columns))
            """, connection))
        {
            columns.Parameters.AddWithValue("schema", schema);
            columns.Parameters.AddWithValue("tables", WideColumns.Select(c => c.Table).ToArray());
            columns.Parameters.AddWithValue("columns", WideColumns.Select(c => c.Column).ToArray());
            await using var reader = await columns.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                current[(reader.GetString(0), reader.GetString(1))] = reader.GetString(2);
            }
        }
        var statements = Statements(schema, lz4Available: true, current);
        foreach (var statement in statements)
        {
            await using var alter = new NpgsqlCommand(statement, connection);
            await alter.ExecuteNonQueryAsync(ct);
        }
        return statements;
    }
}

/// <summary>Applies <see cref="ToastCompression"/> once Marten has built or patched the schema at start.</summary>
internal sealed class ToastCompressionOnStartup(IConfiguration configuration, PersistenceOptions options, ILogger<ToastCompressionOnStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(configuration.GetPostgresConnectionString());
        await connection.OpenAsync(cancellationToken);
        foreach (var statement in await ToastCompression.ApplyAsync(connection, options.Schema, cancellationToken))
        {
            logger.LogInformation("TOAST compression: {Statement}", statement);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
