namespace BalticAI.Sovereignty.FeedBenchmarks;

/// <summary>Commit-to-inbox lag of one load step.</summary>
public sealed record LagStats(double TargetRate, double AchievedRate, int Events, double P50, double P95, double P99, double Max, double FirstQuarterP50, double LastQuarterP50)
{
    /// <summary>
    /// Kept up: the decisions were made at (nearly) the asked rate and the lag at the end of the step is
    /// not far above the lag at its start (a lag that grows without bound is rising all along).
    /// </summary>
    public bool Sustained => AchievedRate >= 0.9 * TargetRate && LastQuarterP50 <= Math.Max(250, 3 * FirstQuarterP50) && P99 < 2000;

    public static LagStats From(double targetRate, double achievedRate, IReadOnlyList<(DateTimeOffset Committed, double LagMs)> samples)
    {
        var lags = samples.Select(s => s.LagMs).Order().ToArray();
        var ordered = samples.OrderBy(s => s.Committed).ToArray();
        var quarter = Math.Max(1, ordered.Length / 4);
        return new LagStats(targetRate, achievedRate, lags.Length, Percentile(lags, 0.50), Percentile(lags, 0.95), Percentile(lags, 0.99), lags[^1],
            Percentile(ordered.Take(quarter).Select(s => s.LagMs).Order().ToArray(), 0.5),
            Percentile(ordered.TakeLast(quarter).Select(s => s.LagMs).Order().ToArray(), 0.5));
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
