using System.Globalization;
using System.Text.Json.Nodes;

namespace BalticAI.Sovereignty.Cli.Policy;

/// <summary>An impact report as a PolicyAdmin reads it in a terminal or a CI log: the bundles, the scope, the counts, then the changes by job and dataset version.</summary>
internal static class ImpactText
{
    public static void Write(JsonObject report, TextWriter output)
    {
        var candidate = report["candidate"]!;
        var tests = report["tests"]!;
        var coverage = tests["coverage"]!.GetValue<double>().ToString("0.##", CultureInfo.InvariantCulture);
        output.WriteLine($"candidate {Text(candidate["revision"])} {Text(candidate["digest"])} (tests: {tests["passed"]} passed, line coverage {coverage}%)");
        output.WriteLine($"active    {Text(report["active"]!["revision"])} {Text(report["active"]!["digest"])} (activation {report["activeVersion"]})");
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
        if (summary["activeGrants"]!.GetValue<int>() is var standing and > 0)
        {
            // Activation decides every active grant again under the bundle it activates.
            output.WriteLine($"{standing} active grants would be revoked on activation, their training systems told (policy-changed, policy-obligations-changed)");
        }
        var preview = report["grants"]!;
        var reasons = string.Join(", ", preview["reasons"]!.AsObject().Select(r => $"{r.Key} {r.Value}"));
        output.WriteLine($"active grants decided again on activation, as sites and datasets stand now: {preview["toDecideAgain"]}; "
            + $"taken again here {preview["evaluated"]}, would be revoked {preview["wouldBeRevoked"]}{(reasons.Length > 0 ? $" ({reasons})" : "")}");
        if (preview["stoppedBecause"]?.GetValue<string>() is { } grantsStopped)
        {
            output.WriteLine($"stopped: {grantsStopped}");
        }
        if (!scope["everyMatchingDecision"]!.GetValue<bool>())
        {
            // The decision counts cover the decisions taken here; the line on active grants covers them all.
            output.WriteLine("older matching decisions were not taken again (a larger --limit shows them)");
        }
        // A change repeats for every decision of one job on one dataset version: one entry per kind of change there, newest first.
        var groups = report["changes"]!.AsArray()
            .Select(change => (Change: change!, Recorded: Outcome(change!["recorded"]!), Candidate: CandidateOutcome(change!["candidate"]!)))
            .GroupBy(c => (Kind: Text(c.Change["change"]), Job: Text(c.Change["jobId"]), Dataset: Text(c.Change["datasetId"]), Version: c.Change["version"]!.GetValue<int>(), c.Recorded, c.Candidate));
        foreach (var group in groups)
        {
            var count = group.Count();
            var granted = group.Select(c => c.Change["grant"]).OfType<JsonObject>().ToList();
            var active = granted.Count(g => Text(g["status"]) == "active");
            var decisions = count == 1 ? "1 decision" : $"{count} decisions";
            var grants = granted.Count == 0 ? ""
                : count == 1 ? $", grant {Text(granted[0]["id"])} ({Text(granted[0]["status"])})"
                : $", {granted.Count} with a grant, {active} still active";
            output.WriteLine($"{group.Key.Kind} {decisions} of job {group.Key.Job} on dataset {group.Key.Dataset} v{group.Key.Version}, newest {Text(group.First().Change["decisionId"])}{grants}");
            output.WriteLine($"    recorded:  {group.Key.Recorded}");
            output.WriteLine($"    candidate: {group.Key.Candidate}");
        }
    }

    private static string CandidateOutcome(JsonNode outcome) => outcome["errors"] is JsonArray errors
        ? "errors: " + string.Join("; ", errors.Select(Text))
        : Outcome(outcome);

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
