using System.Text;

namespace BalticAI.Sovereignty.LoadTests;

/// <summary>Both phases and the flooder's counts, as Markdown.</summary>
public static class FloodReport
{
    public static string ToMarkdown(NormalResult baseline, NormalResult flooded, FlooderResult flooder, FloodOptions options, string setup)
    {
        static string F(FormattableString s) => s.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var seconds = options.Phase.TotalSeconds;
        var md = new StringBuilder();
        md.AppendLine(setup).AppendLine();
        md.AppendLine("| phase | normal callers' decisions (200) | decisions/s | p50 ms | p99 ms | their 429s | their other failures | broker CPU s |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, r) in new[] { ("baseline, no flooder", baseline), ("with the flooder", flooded) })
        {
            md.AppendLine(F($"| {name} | {r.Decisions} | {r.Decisions / seconds:F1} | {r.P50Ms:F1} | {r.P99Ms:F1} | {r.Refused} | {r.Failed} | {r.BrokerCpuSeconds:F1} |"));
        }
        md.AppendLine();
        md.AppendLine("| flooder | requests | requests/s | admitted (200) | admitted/s | 429 | 429 with Retry-After and a problem body | other | p50 ms of a 429 |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        var floodSeconds = seconds + FloodOptions.LeadIn.TotalSeconds;
        md.AppendLine(F($"| {options.FloodConnections} connections, {(options.FloodPerSecond > 0 ? $"paced at {options.FloodPerSecond:F0}/s" : "closed loop")} | {flooder.Requests} | {flooder.Requests / floodSeconds:F0} | {flooder.Admitted} | {flooder.Admitted / floodSeconds:F1} | {flooder.Limited} | {flooder.LimitedWithRetryAfterAndProblem} | {flooder.Other} | {flooder.LimitedP50Ms:F1} |"));
        md.AppendLine();
        md.AppendLine(F($"Normal callers' p50 with the flooder / baseline: {flooded.P50Ms / baseline.P50Ms:F2}; p99: {flooded.P99Ms / baseline.P99Ms:F2}."));
        return md.ToString();
    }
}
