using System.CommandLine;
using BalticAI.Sovereignty.Rego.Conformance;
using Spectre.Console;

namespace BalticAI.Sovereignty.Cli.Policy;

/// <summary>`policy conformance DIR`: runs OPA's YAML conformance cases and prints a per-topic table.</summary>
internal static class ConformanceCommand
{
    public static Command Create()
    {
        var dir = new Argument<DirectoryInfo>("dir") { Description = "Directory holding OPA conformance YAML files" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "List every failing case with its reason" };
        var cmd = new Command("conformance", "Run OPA conformance cases (YAML) against the engine") { dir, verbose };
        cmd.SetAction(parse => Run(parse.GetValue(dir)!, parse.GetValue(verbose)));
        return cmd;
    }

    private static int Run(DirectoryInfo dir, bool verbose)
    {
        if (!dir.Exists)
        {
            Console.Error.WriteLine($"directory not found: {dir.FullName}");
            Console.WriteLine("conformance: 0 passed, 0 failed, 1 skipped");
            return 2;
        }

        var outcomes = ConformanceRunner.RunDirectory(dir.FullName);
        var table = new Table().AddColumns("topic", "passed", "failed", "total");
        foreach (var g in outcomes.GroupBy(o => o.Topic).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var failed = g.Count(o => !o.Passed);
            table.AddRow(Markup.Escape(g.Key), g.Count(o => o.Passed).ToString(), failed == 0 ? "0" : $"[red]{failed}[/]", g.Count().ToString());
        }

        AnsiConsole.Write(table);
        foreach (var o in outcomes.Where(o => !o.Passed && verbose))
        {
            Console.WriteLine($"FAIL {o.Id}: {o.Reason}");
        }

        var passedCount = outcomes.Count(o => o.Passed);
        var failedCount = outcomes.Count - passedCount;
        Console.WriteLine($"conformance: {passedCount} passed, {failedCount} failed, 0 skipped");
        return failedCount == 0 ? 0 : 1;
    }
}
