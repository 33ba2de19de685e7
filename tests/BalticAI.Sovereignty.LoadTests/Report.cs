using System.Globalization;
using System.Text;

namespace BalticAI.Sovereignty.LoadTests;

/// <summary>The measured points (medians over the rounds) and every ratio the requirement names, as Markdown.</summary>
public sealed record Report(
    IReadOnlyList<LoopResult> Batched,
    IReadOnlyList<LoopResult> Unbatched,
    IReadOnlyList<PgBench.Result> PgBench,
    string Setup)
{
    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.AppendLine(Setup).AppendLine();
        md.AppendLine("CPU ms/decision: broker process / whole machine (PostgreSQL, RabbitMQ and the generator included), from the start of the point until the broker's daemon had processed its last event; catch-up: seconds from the last answer to that moment; WAL flushes: the server's WAL syncs (pg_stat_wal) per decision over the same span, daemon included.").AppendLine();
        md.AppendLine("| clients | decisions/s (group commit) | p50 ms | p99 ms | CPU ms/decision | WAL flushes/decision | catch-up s | decisions/s (no batching) | p50 ms | p99 ms | CPU ms/decision | WAL flushes/decision | catch-up s | pgbench INSERT tps | pgbench avg ms | batched / unbatched | batched / pgbench |");
        md.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        var batched = PointMedian.Of(Batched);
        var unbatched = PointMedian.Of(Unbatched);
        var pgbench = PointMedian.Of(PgBench);
        foreach (var on in batched)
        {
            var off = unbatched.FirstOrDefault(r => r.Clients == on.Clients);
            var pg = pgbench.FirstOrDefault(r => r.Clients == on.Clients);
            md.AppendLine(Invariant($"| {on.Clients} | {Rate(on)} | {on.P50Ms:F1} | {Tail(on)} | {on.CpuMsPerDecision:F2} / {on.MachineCpuMsPerDecision:F2} | {on.WalFlushesPerDecision:F2} | {on.CatchUpSeconds:F1} | {(off is null ? "" : Rate(off))} | {off?.P50Ms:F1} | {(off is null ? "" : Tail(off))} | {off?.CpuMsPerDecision:F2} / {off?.MachineCpuMsPerDecision:F2} | {off?.WalFlushesPerDecision:F2} | {off?.CatchUpSeconds:F1} | {pg?.Tps:F0} | {pg?.LatencyMs:F2} | {Ratio(on.PerSecond, off?.PerSecond)} | {Ratio(on.PerSecond, pg?.Tps)} |"));
        }
        md.AppendLine();
        var errors = Batched.Concat(Unbatched).Sum(r => r.Errors);
        md.AppendLine(Invariant($"Failed requests (any answer but 200) during measurement: {errors}.")).AppendLine();
        md.AppendLine("| target | measured | ratio | met |");
        md.AppendLine("|---|---:|---:|:---:|");
        var on32 = batched.FirstOrDefault(r => r.Clients == 32)?.PerSecond;
        var off32 = unbatched.FirstOrDefault(r => r.Clients == 32)?.PerSecond;
        var pg8 = pgbench.FirstOrDefault(r => r.Clients == 8)?.Tps;
        var on8 = batched.FirstOrDefault(r => r.Clients == 8);
        md.AppendLine(Target("decisions/s at 32 ≥ 20% of pgbench tps at 8", Invariant($"{on32:F0} / {pg8:F0}"), on32 / pg8, 0.20));
        md.AppendLine(Target("decisions/s at 32 ≥ 2 × unbatched at 32", Invariant($"{on32:F0} / {off32:F0}"), on32 / off32, 2.0));
        md.AppendLine(on8 is null
            ? "| p99 at 8 clients < 50 ms | not measured | | |"
            : Invariant($"| p99 at 8 clients < 50 ms | {on8.P99Ms:F1} ms | {on8.P99Ms / 50:F2} of the limit | {(on8.P99Ms < 50 ? "yes" : "no")} |"));
        if (batched.Any(p => p.Rounds > 1))
        {
            md.AppendLine().AppendLine("Every round (decisions/s, p99 ms, machine CPU ms/decision):").AppendLine();
            md.AppendLine("| clients | broker | round | decisions/s | p99 ms | machine CPU ms/decision |");
            md.AppendLine("|---:|---|---:|---:|---:|---:|");
            foreach (var (label, results) in new[] { ("group commit", Batched), ("no batching", Unbatched) })
            {
                foreach (var point in results.GroupBy(r => r.Clients))
                {
                    var round = 0;
                    foreach (var r in point)
                    {
                        md.AppendLine(Invariant($"| {r.Clients} | {label} | {++round} | {r.PerSecond:F0} | {r.P99Ms:F1} | {r.MachineCpuMsPerDecision:F2} |"));
                    }
                }
            }
        }
        return md.ToString();
    }

    private static string Rate(PointMedian p) => WithRange(p.Rounds, p.PerSecond, p.MinPerSecond, p.MaxPerSecond, "F0");

    private static string Tail(PointMedian p) => WithRange(p.Rounds, p.P99Ms, p.MinP99Ms, p.MaxP99Ms, "F1");

    /// <summary>The median, and the range when there were several rounds.</summary>
    private static string WithRange(int rounds, double median, double min, double max, string format)
    {
        var text = median.ToString(format, CultureInfo.InvariantCulture);
        return rounds == 1
            ? text
            : $"{text} ({min.ToString(format, CultureInfo.InvariantCulture)}-{max.ToString(format, CultureInfo.InvariantCulture)})";
    }

    private static string Ratio(double a, double? b) => b is > 0 ? Invariant($"{a / b.Value:F2}") : "";

    private static string Target(string name, string measured, double? ratio, double needed) => ratio is { } r && !double.IsNaN(r)
        ? Invariant($"| {name} | {measured} | {r:F2} | {(r >= needed ? "yes" : "no")} |")
        : $"| {name} | not measured | | |";

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
