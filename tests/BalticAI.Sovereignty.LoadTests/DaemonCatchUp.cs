using System.Diagnostics;
using System.Globalization;

namespace BalticAI.Sovereignty.LoadTests;

/// <summary>
/// Waits until every daemon subscription of a broker's schema (tree, event index, feeds, revocations,
/// lineage) has processed the last appended event. A point ends only then: work the daemon still owed would
/// otherwise fall on the next point (or be left out of the figures), and a broker whose daemon cannot keep
/// up would look faster than it is. A broker run with its daemon disabled (a diagnostic: the request path
/// alone) has no subscription progress and owes nothing.
/// </summary>
public static class DaemonCatchUp
{
    public static async Task<TimeSpan> WaitAsync(Database db, string schema, TimeSpan limit, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var sql = $"""
            select coalesce((select max(seq_id) from {schema}.mt_events), 0)
                 - coalesce((select min(last_seq_id) from {schema}.mt_event_progression where name like '%:%'), (select max(seq_id) from {schema}.mt_events), 0)
            """;
        while (true)
        {
            var behind = long.Parse((await db.PsqlAsync(sql, ct)).Trim(), CultureInfo.InvariantCulture);
            if (behind <= 0)
            {
                return clock.Elapsed;
            }
            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"the daemon of {schema} was still {behind} events behind {limit.TotalSeconds:F0} s after the point");
            }
            await Task.Delay(200, ct);
        }
    }
}
