using System.Diagnostics;
using BalticAI.Sovereignty.Api.Ledger.Tree;

namespace BalticAI.Sovereignty.Api.Infrastructure.Telemetry;

/// <summary>A daemon shard (a feed, the event index, a projection) and how many ledger events it has yet to process.</summary>
public sealed record ShardLag(string Shard, long Events);

/// <summary>
/// How far each async subscription's saved progress trails the ledger's highest committed sequence. A
/// scrape reads the last answer; at most one query per <see cref="RefreshInterval"/> runs, in the background,
/// so several readers scraping at once (or a tight export interval) never cost the database more than that.
/// </summary>
public sealed class SubscriptionLag(LedgerStore store, ILogger<SubscriptionLag> logger)
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(5);

    // Marten's own rows: the daemon's high-water mark and allocation fence are no subscription.
    private readonly string _sql = $"""
        select p.name, greatest(0, coalesce((select max(e.seq_id) from {store.Table("mt_events")} e), 0) - coalesce(p.last_seq_id, 0))
        from {store.Table("mt_event_progression")} p
        where p.name not like 'HighWater%'
        order by p.name
        """;

    private IReadOnlyList<ShardLag> _last = [];
    private long _refreshedAt = long.MinValue;
    private int _refreshing;

    /// <summary>The last answer (empty until the first); starts a refresh when it is older than <see cref="RefreshInterval"/>.</summary>
    public IReadOnlyList<ShardLag> Current()
    {
        var due = _refreshedAt == long.MinValue || Stopwatch.GetElapsedTime(Volatile.Read(ref _refreshedAt)) >= RefreshInterval;
        if (due && Interlocked.CompareExchange(ref _refreshing, 1, 0) == 0)
        {
            _ = Task.Run(RefreshAsync);
        }
        return Volatile.Read(ref _last);
    }

    private async Task RefreshAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(RefreshInterval);
            await using var command = store.DataSource.CreateCommand(_sql);
            await using var reader = await command.ExecuteReaderAsync(timeout.Token);
            var lags = new List<ShardLag>();
            while (await reader.ReadAsync(timeout.Token))
            {
                lags.Add(new ShardLag(reader.GetString(0), reader.GetInt64(1)));
            }
            Volatile.Write(ref _last, lags);
        }
        catch (Exception e)
        {
            // A lag that cannot be read is not reported rather than reported stale: an absent series alerts too.
            logger.LogDebug(e, "Could not read the ledger subscriptions' progress");
            Volatile.Write(ref _last, []);
        }
        finally
        {
            Volatile.Write(ref _refreshedAt, Stopwatch.GetTimestamp());
            Volatile.Write(ref _refreshing, 0);
        }
    }
}
