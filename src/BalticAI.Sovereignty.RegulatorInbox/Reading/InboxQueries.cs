using System.Text.Json.Nodes;
using BalticAI.Sovereignty.RegulatorInbox.Receiving;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BalticAI.Sovereignty.RegulatorInbox.Reading;

public sealed record Gap(long From, long To);

public sealed record FailureView(DateTimeOffset At, string Kind, string Reason, string? EventId, long? FeedSeq);

public sealed record InboxStatus(
    string Authority, string Feed, string Queue, bool Connected, long Envelopes, long LastSequence,
    long ContiguousThrough, IReadOnlyList<Gap> Gaps, long VerificationFailures, IReadOnlyList<FailureView> RecentFailures);

public sealed record FeedShape(long Envelopes, long LastSequence, long ContiguousThrough, IReadOnlyList<Gap> Gaps);

public sealed record InboxPage(IReadOnlyList<JsonNode?> Items, long Next);

public sealed class InboxQueries(NpgsqlDataSource database, IOptions<InboxOptions> options, ConsumerState consumer)
{
    private readonly string _schema = options.Value.SchemaName;

    /// <summary>Stored envelopes after <paramref name="after"/> in feed order; with <paramref name="type"/>, only those of that CloudEvents type (its index).</summary>
    public async Task<InboxPage> ReadAsync(long after, int limit, string? type, CancellationToken ct)
    {
        await using var command = database.CreateCommand(type is null
            ? $"select seq, body from {_schema}.envelopes where seq > @after order by seq limit @limit"
            : $"select seq, body from {_schema}.envelopes where type = @type and seq > @after order by seq limit @limit");
        if (type is not null)
        {
            command.Parameters.AddWithValue("type", type);
        }
        command.Parameters.AddWithValue("after", after);
        command.Parameters.AddWithValue("limit", limit);
        var items = new List<JsonNode?>();
        var next = after;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            next = reader.GetInt64(0);
            items.Add(JsonNode.Parse((byte[])reader[1]));
        }
        return new InboxPage(items, next);
    }

    /// <summary>
    /// The sequence through which the inbox held every envelope when last read. Envelopes are never deleted, so it only
    /// grows, and a read counts and looks for gaps only above it rather than across the whole feed.
    /// </summary>
    private long _contiguousThrough;

    public async Task<InboxStatus> StatusAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        var feed = await FeedAsync(connection, ct);
        long failureCount;
        var recent = new List<FailureView>();
        await using (var failures = new NpgsqlCommand($"select count(*) from {_schema}.failures", connection))
        {
            failureCount = (long)(await failures.ExecuteScalarAsync(ct))!;
        }
        await using (var latest = new NpgsqlCommand($"select at, kind, reason, event_id, feedseq from {_schema}.failures order by n desc limit 20", connection))
        await using (var reader = await latest.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                recent.Add(new FailureView(reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1), reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetInt64(4)));
            }
        }
        var o = options.Value;
        return new InboxStatus(o.Authority, o.Feed, o.Queue, consumer.Connected, feed.Envelopes, feed.LastSequence, feed.ContiguousThrough, feed.Gaps, failureCount, recent);
    }

    /// <summary>How many envelopes are stored, the last sequence, through which the feed is whole, and its gaps (at most 100 listed).</summary>
    public async Task<FeedShape> FeedAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return await FeedAsync(connection, ct);
    }

    private async Task<FeedShape> FeedAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var known = Interlocked.Read(ref _contiguousThrough);
        long count, last, first;
        await using (var totals = new NpgsqlCommand(
            $"select $1 + count(*), coalesce(max(seq), $1), coalesce(min(seq), 0) from {_schema}.envelopes where seq > $1", connection))
        {
            totals.Parameters.Add(new NpgsqlParameter { Value = known });
            await using var reader = await totals.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            (count, last, first) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
        }
        var gaps = new List<Gap>();
        // Above a known prefix, the row at its end starts the window below; with none, a gap before the first is found here.
        if (known == 0 && first > 1)
        {
            gaps.Add(new Gap(1, first - 1));
        }
        await using (var holes = new NpgsqlCommand(
            $"select seq + 1, next - 1 from (select seq, lead(seq) over (order by seq) as next from {_schema}.envelopes where seq >= $1) s where next > seq + 1 order by seq limit 100", connection))
        {
            holes.Parameters.Add(new NpgsqlParameter { Value = known });
            await using var reader = await holes.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                gaps.Add(new Gap(reader.GetInt64(0), reader.GetInt64(1)));
            }
        }
        var contiguous = gaps.Count == 0 ? last : gaps[0].From - 1;
        InterlockedMax(ref _contiguousThrough, contiguous);
        return new FeedShape(count, last, contiguous, gaps);
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var seen = Interlocked.Read(ref target);
        while (value > seen && Interlocked.CompareExchange(ref target, value, seen) is var previous && previous != seen)
        {
            seen = previous;
        }
    }
}
