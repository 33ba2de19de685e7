namespace BalticAI.Sovereignty.LoadTests;

/// <summary>
/// One concurrency's figures over every round, each metric the median of its own values (a single round
/// on this shared 2-core machine scatters by ±20%), with the range of throughput and p99 beside them.
/// </summary>
public sealed record PointMedian(
    int Clients, int Rounds, double PerSecond, double MinPerSecond, double MaxPerSecond, double P50Ms, double P99Ms, double MinP99Ms, double MaxP99Ms,
    double CpuMsPerDecision, double MachineCpuMsPerDecision, double WalFlushesPerDecision, double CatchUpSeconds, long Errors)
{
    public static IReadOnlyList<PointMedian> Of(IEnumerable<LoopResult> results) => results
        .GroupBy(r => r.Clients)
        .Select(g => new PointMedian(
            g.Key, g.Count(), Median(g.Select(r => r.PerSecond)), g.Min(r => r.PerSecond), g.Max(r => r.PerSecond),
            Median(g.Select(r => r.P50Ms)), Median(g.Select(r => r.P99Ms)), g.Min(r => r.P99Ms), g.Max(r => r.P99Ms),
            Median(g.Select(r => r.CpuMsPerDecision)), Median(g.Select(r => r.MachineCpuMsPerDecision)),
            Median(g.Select(r => r.WalFlushesPerDecision)), Median(g.Select(r => r.DaemonCatchUp.TotalSeconds)), g.Sum(r => r.Errors)))
        .ToList();

    /// <summary>pgbench's tps and latency per concurrency, medians over the rounds.</summary>
    public static IReadOnlyList<PgBench.Result> Of(IEnumerable<PgBench.Result> results) => results
        .GroupBy(r => r.Clients)
        .Select(g => new PgBench.Result(g.Key, Median(g.Select(r => r.Tps)), Median(g.Select(r => r.LatencyMs))))
        .ToList();

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            throw new ArgumentException("no values", nameof(values));
        }
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
