using BalticAI.Sovereignty.Transparency.Merkle;
using Npgsql;
using NpgsqlTypes;

namespace BalticAI.Sovereignty.Api.Ledger.Tree;

/// <summary>An event row exactly as PostgreSQL holds it; the leaf is computed from these columns. Headers: null when the row has none.</summary>
public sealed record EventRow(long Sequence, Guid EventId, string Stream, string EventType, DateTimeOffset Timestamp, string Data, string? Headers);

/// <summary>
/// A ledger entry: its number, the event row it was made from (null once that row is gone), the tree's
/// leaf hash, and the leaf format it was appended in (entries from before format 2 keep format 1).
/// </summary>
public sealed record EntryRow(long Index, long Sequence, EventRow? Event, byte[] LeafHash, short Format);

/// <summary>
/// Reads of the ledger tables and the event rows, with plain SQL on a data source of its own, which it
/// owns: the container disposes it with the host, so a stopped broker leaves no pooled connections open.
/// </summary>
public sealed class LedgerStore(NpgsqlDataSource dataSource, string schema) : IDisposable, IAsyncDisposable
{
    public void Dispose() => dataSource.Dispose();

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();

    public string Schema => schema;

    public NpgsqlDataSource DataSource => dataSource;

    public string Table(string name) => $"{schema}.{name}";

    private const string EventColumns = "e.seq_id, e.id, e.stream_id::text, e.type, e.timestamp, e.data::text, e.headers::text";

    /// <summary>The first <paramref name="limit"/> committed events with floor &lt; seq_id &lt;= ceiling, in sequence order.</summary>
    public async Task<List<EventRow>> ReadEventsAsync(long floor, long ceiling, int limit, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"select {EventColumns} from {Table("mt_events")} e where e.seq_id > $1 and e.seq_id <= $2 order by e.seq_id limit $3");
        command.Parameters.Add(new NpgsqlParameter { Value = floor });
        command.Parameters.Add(new NpgsqlParameter { Value = ceiling });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        var rows = new List<EventRow>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(ReadEvent(reader, 0));
        }
        return rows;
    }

    private static EventRow ReadEvent(NpgsqlDataReader reader, int offset) => new(
        reader.GetInt64(offset), reader.GetGuid(offset + 1), reader.GetString(offset + 2), reader.GetString(offset + 3),
        reader.GetFieldValue<DateTimeOffset>(offset + 4), reader.GetString(offset + 5), reader.IsDBNull(offset + 6) ? null : reader.GetString(offset + 6));

    /// <summary>The tree size and the Marten sequence of its last leaf (0, 0 when empty).</summary>
    public async Task<(long Size, long LastSequence)> ReadTipAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"select idx, seq_id from {Table(LedgerSchema.Leaves)} order by idx desc limit 1");
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (reader.GetInt64(0) + 1, reader.GetInt64(1)) : (0, 0);
    }

    public async Task<long> ReadSizeAsync(CancellationToken ct) => (await ReadTipAsync(ct)).Size;

    /// <summary>Reads complete subtree hashes in one round trip; missing ones are absent from the result.</summary>
    public async Task<Dictionary<NodeId, byte[]>> ReadNodesAsync(IReadOnlyCollection<NodeId> ids, CancellationToken ct)
    {
        var result = new Dictionary<NodeId, byte[]>(ids.Count);
        if (ids.Count == 0)
        {
            return result;
        }
        await using var command = dataSource.CreateCommand(
            $"select n.level, n.idx, n.hash from {Table(LedgerSchema.Nodes)} n join unnest($1::int[], $2::bigint[]) as w(level, idx) on n.level = w.level and n.idx = w.idx");
        command.Parameters.Add(new NpgsqlParameter { Value = ids.Select(i => i.Level).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter { Value = ids.Select(i => i.Index).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            result[new NodeId(reader.GetInt32(0), reader.GetInt64(1))] = reader.GetFieldValue<byte[]>(2);
        }
        return result;
    }

    /// <summary>MTH of the first <paramref name="size"/> entries, folded from the stored frontier.</summary>
    public async Task<byte[]> ReadRootAsync(long size, CancellationToken ct)
    {
        var ids = TreeMath.Decompose(0, size);
        var nodes = await ReadNodesAsync(ids.ToList(), ct);
        return TreeMath.Fold(ids.Select(id => nodes[id]).ToList());
    }

    /// <summary>The proof hashes for RFC 9162 ranges, read in one query.</summary>
    public async Task<IReadOnlyList<byte[]>> ReadProofAsync(IReadOnlyList<(long Start, long End)> ranges, CancellationToken ct)
    {
        var nodes = await ReadNodesAsync(ProofPlan.NodesFor(ranges), ct);
        return ProofPlan.Assemble(ranges, nodes);
    }

    /// <summary>
    /// Committed events older than <paramref name="olderThan"/> that no leaf records, in sequence order: the
    /// monitor's check that the tree holds every event in the store. Below the tree's last sequence such an
    /// event was skipped; above it, the tree builder is behind.
    /// </summary>
    public async Task<List<(long Sequence, Guid EventId, string EventType, DateTimeOffset Timestamp)>> FindEventsOutsideTreeAsync(
        TimeSpan olderThan, int limit, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            select e.seq_id, e.id, e.type, e.timestamp from {Table("mt_events")} e
            where e.timestamp < now() - make_interval(secs => $1)
              and not exists (select 1 from {Table(LedgerSchema.Leaves)} l where l.seq_id = e.seq_id)
            order by e.seq_id limit $2
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = olderThan.TotalSeconds });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        var missing = new List<(long, Guid, string, DateTimeOffset)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            missing.Add((reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }
        return missing;
    }

    public async Task<(long Index, long Sequence)?> FindByEventAsync(Guid eventId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"select idx, seq_id from {Table(LedgerSchema.Leaves)} where event_id = $1 order by idx limit 1");
        command.Parameters.Add(new NpgsqlParameter { Value = eventId });
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (reader.GetInt64(0), reader.GetInt64(1)) : null;
    }

    /// <summary>
    /// Whether the event was appended after the tree's last leaf (<paramref name="lastSequence"/>), so the tree builder
    /// will reach it. A range of the primary key: only the events the tree trails are read, however long the log.
    /// </summary>
    public async Task<bool> FollowsTreeAsync(Guid eventId, long lastSequence, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"select exists (select 1 from {Table("mt_events")} where seq_id > $1 and id = $2)");
        command.Parameters.Add(new NpgsqlParameter { Value = lastSequence });
        command.Parameters.Add(new NpgsqlParameter { Value = eventId });
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Entries from <paramref name="from"/> on, each with the event row it was built from as it is now.</summary>
    public async IAsyncEnumerable<EntryRow> ReadEntriesAsync(long from, long count, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            select l.idx, l.seq_id, n.hash, l.format, {EventColumns}
            from {Table(LedgerSchema.Leaves)} l
            join {Table(LedgerSchema.Nodes)} n on n.level = 0 and n.idx = l.idx
            left join {Table("mt_events")} e on e.seq_id = l.seq_id
            where l.idx >= $1 and l.idx < $2
            order by l.idx
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = from });
        command.Parameters.Add(new NpgsqlParameter { Value = from + count });
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var row = reader.IsDBNull(4) ? null : ReadEvent(reader, 4);
            yield return new EntryRow(reader.GetInt64(0), reader.GetInt64(1), row, reader.GetFieldValue<byte[]>(2), reader.GetInt16(3));
        }
    }
}
