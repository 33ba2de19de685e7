using BalticAI.Sovereignty.Api.Ledger.Tree;
using Npgsql;

namespace BalticAI.Sovereignty.Api.Ledger.Holding;

/// <summary>A committed ledger event that a subscription did not get: its sequence and its stored type name.</summary>
public sealed record UnreadEvent(long Sequence, string Type);

/// <summary>
/// Finds ledger events that Marten's daemon left out of a page. Its loader skips an event whose type the
/// running build does not know (a newer node wrote it during a rolling upgrade) or whose body it cannot
/// read, and the subscription would then save progress past it: the event would never reach a regulator.
/// The rows considered are those the loader reads: joined to their stream and not archived. Marten's
/// tombstones only fill sequence numbers of failed appends and carry nothing.
/// </summary>
public sealed class UnreadEvents(LedgerStore store)
{
    private readonly string _rows = $"""
        select e.seq_id, e.type from {store.Table("mt_events")} e join {store.Table("mt_streams")} s on s.id = e.stream_id
        where e.seq_id > $1 and e.seq_id <= $2 and e.is_archived = false and e.type <> 'tombstone'
        """;

    /// <summary>The first event with floor &lt; sequence &lt;= ceiling that is not among <paramref name="loaded"/>.</summary>
    public Task<UnreadEvent?> FirstNotLoadedAsync(long floor, long ceiling, long[] loaded, CancellationToken ct) =>
        FirstAsync($"{_rows} and e.seq_id <> all($3) order by e.seq_id limit 1", floor, ceiling, loaded, ct);

    /// <summary>The first event with floor &lt; sequence &lt;= ceiling whose type is none of <paramref name="known"/>.</summary>
    public Task<UnreadEvent?> FirstOfUnknownTypeAsync(long floor, long ceiling, string[] known, CancellationToken ct) =>
        FirstAsync($"{_rows} and e.type <> all($3) order by e.seq_id limit 1", floor, ceiling, known, ct);

    private async Task<UnreadEvent?> FirstAsync<T>(string sql, long floor, long ceiling, T[] values, CancellationToken ct)
    {
        await using var command = store.DataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = floor });
        command.Parameters.Add(new NpgsqlParameter { Value = ceiling });
        command.Parameters.Add(new NpgsqlParameter { Value = values });
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new UnreadEvent(reader.GetInt64(0), reader.GetString(1)) : null;
    }
}
