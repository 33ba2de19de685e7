using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Transparency.Export;
using BalticAI.Sovereignty.Transparency.Leaves;
using Npgsql;

namespace BalticAI.Sovereignty.Cli.Ledger;

/// <summary>
/// Exports from PostgreSQL: each entry's leaf is recomputed from its event row as the row is now, next
/// to the hash the tree recorded, in the format the entry was appended in, so the verifier sees any row
/// (data or headers) changed since: the same reading the API does.
/// </summary>
public static class DatabaseExporter
{
    public static async Task<long> ExportAsync(string connectionString, string schema, IReadOnlyList<JsonObject> keys, Stream output, CancellationToken ct)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var checkpoints = new List<(long Size, string Note)>();
        await using (var command = dataSource.CreateCommand(
            $"select c.size, c.note || coalesce((select string_agg(s.line || E'\\n', '' order by s.witness) from {schema}.ledger_cosignatures s where s.size = c.size), '') from {schema}.ledger_checkpoints c order by c.size"))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                checkpoints.Add((reader.GetInt64(0), reader.GetString(1)));
            }
        }
        await using var writer = new LedgerExportWriter(output);
        var origin = checkpoints.Count > 0 ? checkpoints[0].Note[..checkpoints[0].Note.IndexOf('\n')] : "";
        writer.WriteHeader(new ExportHeader(origin, keys));
        foreach (var (size, note) in checkpoints)
        {
            writer.WriteCheckpoint(size, note);
        }
        await using var entries = dataSource.CreateCommand($"""
            select l.idx, n.hash, e.seq_id, e.id, e.stream_id::text, e.type, e.timestamp, e.data::text, e.headers::text, l.format
            from {schema}.ledger_leaves l
            join {schema}.ledger_nodes n on n.level = 0 and n.idx = l.idx
            left join {schema}.mt_events e on e.seq_id = l.seq_id
            order by l.idx
            """);
        await using var rows = await entries.ExecuteReaderAsync(ct);
        long count = 0;
        while (await rows.ReadAsync(ct))
        {
            var index = rows.GetInt64(0);
            byte[]? leaf = null;
            string? data = null, headers = null;
            if (!rows.IsDBNull(2))
            {
                data = rows.GetString(7);
                var stored = rows.IsDBNull(8) ? null : rows.GetString(8);
                headers = stored ?? "null";
                leaf = LedgerLeaf.FromRow(index, rows.GetInt64(2), rows.GetGuid(3), rows.GetString(4), rows.GetString(5),
                    rows.GetFieldValue<DateTimeOffset>(6), data, stored, rows.GetInt16(9)).Encode();
            }
            writer.WriteEntry(new ExportEntry(index, leaf, rows.GetFieldValue<byte[]>(1), data, headers));
            count++;
        }
        return count;
    }
}
