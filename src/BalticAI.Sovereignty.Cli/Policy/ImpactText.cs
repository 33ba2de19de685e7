using System.Globalization;
using System.Text.Json.Nodes;

namespace BalticAI.Sovereignty.Cli.Policy;

/// <summary>An impact report as a PolicyAdmin reads it in a terminal or a CI log: the bundles, the scope, the counts, then one line per change.</summary>
internal static class ImpactText
{
    public static void Write(JsonObject report, TextWriter output)
    {
        var candidate = report["candidate"]!;
        var tests = report["tests"]!;
        var coverage = tests["coverage"]!.GetValue<double>().ToString("0.##", CultureInfo.InvariantCulture);
        output.WriteLine($"candidate {Text(candidate["revision"])} {Text(candidate["digest"])} (tests: {tests["passed"]} passed, line coverage {coverage}%)");
        output.WriteLine($"active    {Text(report["active"]!["revision"])} {Text(report["active"]!["digest"])}");
        var scope = report["scope"]!;
        var span = scope["evaluated"]!.GetValue<int>() == 0 ? "" : $", decided {Text(scope["oldest"])} to {Text(scope["newest"])}";
        var every = scope["everyMatchingDecision"]!.GetValue<bool>() ? "every matching decision" : $"the newest {scope["limit"]} matching";
        output.WriteLine($"{scope["evaluated"]} of {scope["selected"]} decisions taken again ({every}{span})");
        if (scope["stoppedBecause"]?.GetValue<string>() is { } stopped)
        {
            output.WriteLine($"stopped: {stopped}");
        }
        var summary = report["summary"]!.AsObject();
        output.WriteLine(string.Join(", ", summary.Select(p => $"{Kebab(p.Key)} {p.Value}")));
        foreach (var change in report["changes"]!.AsArray())
        {
            var candidateOutcome = change!["candidate"]!;
            var outcome = candidateOutcome["errors"] is JsonArray errors
                ? "errors: " + string.Join("; ", errors.Select(Text))
                : Outcome(candidateOutcome);
            var grant = change["grantId"] is { } id ? $" grant {Text(id)}" : "";
            output.WriteLine($"{Text(change["change"])} decision {Text(change["decisionId"])} job {Text(change["jobId"])} dataset {Text(change["datasetId"])} v{change["version"]}{grant}");
            output.WriteLine($"    recorded:  {Outcome(change["recorded"]!)}");
            output.WriteLine($"    candidate: {outcome}");
        }
    }

    private static string Outcome(JsonNode outcome)
    {
        var rules = outcome["rules"]!.AsArray().Select(Text).ToList();
        var obligations = outcome["obligations"]!.AsArray().Select(o => Text(o!["type"])).ToList();
        return outcome["allowed"]!.GetValue<bool>()
            ? "allow" + (obligations.Count == 0 ? "" : ", obligations " + string.Join(", ", obligations))
            : "deny" + (rules.Count == 0 ? "" : ", rules " + string.Join(", ", rules));
    }

    private static string Text(JsonNode? node) => node?.GetValue<string>() ?? "";

    /// <summary>nowDenied as the report's changes name the kind: now-denied.</summary>
    private static string Kebab(string name) =>
        string.Concat(name.Select(c => char.IsUpper(c) ? "-" + char.ToLowerInvariant(c) : c.ToString()));
}
