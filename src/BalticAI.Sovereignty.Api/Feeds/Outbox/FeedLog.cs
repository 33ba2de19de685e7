using BalticAI.Sovereignty.Api.Infrastructure.Persistence;
using Npgsql;
using NpgsqlTypes;

namespace BalticAI.Sovereignty.Api.Feeds.Outbox;

/// <summary>One sealed envelope: built, numbered and signed once; its bytes never change afterwards.</summary>
public sealed record SealedEnvelope(string Feed, long Seq, Guid EventId, long LedgerSeq, byte[] Body, string Hash);

public sealed record FeedHead(long Seq, string Hash);

/// <summary>Reads and appends the stored envelopes (<see cref="FeedLogTable"/>).</summary>
public sealed class FeedLog([FromKeyedServices(FeedsSetup.DataSourceKey)] NpgsqlDataSource database, IConfiguration configuration)
{
    private readonly string _table = $"{(configuration.GetSection(PersistenceOptions.SectionName).Get<PersistenceOptions>() ?? new()).Schema}.{FeedLogTable.Name}";

    public async Task<Dictionary<(string Feed, Guid EventId), SealedEnvelope>> FindAsync(Guid[] eventIds, CancellationToken ct)
    {
        await using var command = database.CreateCommand(
            $"select feed, seq, event_id, ledger_seq, body, hash from {_table} where event_id = any(@ids)");
        command.Parameters.AddWithValue("ids", eventIds);
        var found = new Dictionary<(string, Guid), SealedEnvelope>();
        await foreach (var envelope in ReadAsync(command, ct))
        {
            found[(envelope.Feed, envelope.EventId)] = envelope;
        }
        return found;
    }

    public async Task<Dictionary<string, FeedHead>> HeadsAsync(IReadOnlyList<string> feeds, CancellationToken ct)
    {
        await using var command = database.CreateCommand(
            $"select f, h.seq, h.hash from unnest(@feeds) f cross join lateral (select seq, hash from {_table} where feed = f order by seq desc limit 1) h");
        command.Parameters.AddWithValue("feeds", feeds.ToArray());
        var heads = new Dictionary<string, FeedHead>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            heads[reader.GetString(0)] = new FeedHead(reader.GetInt64(1), reader.GetString(2));
        }
        return heads;
    }

    /// <summary>Stores a page's new envelopes in one transaction; a competing writer fails on the unique keys.</summary>
    public async Task AppendAsync(IReadOnlyList<SealedEnvelope> envelopes, CancellationToken ct)
    {
        if (envelopes.Count == 0)
        {
            return;
        }
        await using var command = database.CreateCommand(
            $"insert into {_table} (feed, seq, event_id, ledger_seq, body, hash) select * from unnest(@feed, @seq, @event, @ledger, @body, @hash)");
        command.Parameters.AddWithValue("feed", envelopes.Select(e => e.Feed).ToArray());
        command.Parameters.AddWithValue("seq", envelopes.Select(e => e.Seq).ToArray());
        command.Parameters.AddWithValue("event", envelopes.Select(e => e.EventId).ToArray());
        command.Parameters.AddWithValue("ledger", envelopes.Select(e => e.LedgerSeq).ToArray());
        command.Parameters.Add(new NpgsqlParameter("body", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = envelopes.Select(e => e.Body).ToArray() });
        command.Parameters.AddWithValue("hash", envelopes.Select(e => e.Hash).ToArray());
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<IReadOnlyList<SealedEnvelope>> ReadFeedAsync(string feed, long afterSeq, int limit, CancellationToken ct)
    {
        await using var command = database.CreateCommand(
            $"select feed, seq, event_id, ledger_seq, body, hash from {_table} where feed = @feed and seq > @after order by seq limit @limit");
        command.Parameters.AddWithValue("feed", feed);
        command.Parameters.AddWithValue("after", afterSeq);
        command.Parameters.AddWithValue("limit", limit);
        var envelopes = new List<SealedEnvelope>();
        await foreach (var envelope in ReadAsync(command, ct))
        {
            envelopes.Add(envelope);
        }
        return envelopes;
    }

    private static async IAsyncEnumerable<SealedEnvelope> ReadAsync(NpgsqlCommand command, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            yield return new SealedEnvelope(reader.GetString(0), reader.GetInt64(1), reader.GetGuid(2), reader.GetInt64(3),
                (byte[])reader[4], reader.GetString(5));
        }
    }
}
