using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Rego;

namespace BalticAI.Sovereignty.Cli.Policy;

/// <summary>
/// `policy test --coverage` and `--threshold`: the report in `opa test --coverage`'s JSON shape on standard output, so
/// the tools that read OPA's report (converters to SonarCloud, SimpleCov, HTML) read this one, and a summary naming
/// every line not reached on standard error, where it sits beside the test results in a CI log.
/// </summary>
internal static class CoverageOutput
{
    public static Option<bool> CreateCoverage() => new("--coverage", "-c")
    {
        Description = "Print the tests' line coverage of every module as JSON (opa test --coverage's shape); the test results go to standard error",
    };

    /// <summary>A percentage option: `--threshold` of `policy test` by default, `--minimum-coverage` of `policy bundle`.</summary>
    public static Option<double?> CreateThreshold(
        string name = "--threshold",
        string description = "Fail (exit code 1, as for a failing test) when the coverage over all modules is below this percentage; implies --coverage")
    {
        var threshold = new Option<double?>(name) { Description = description };
        threshold.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double?>() is { } value && (double.IsNaN(value) || value < 0 || value > 100))
            {
                result.AddError($"{name} is a percentage from 0 to 100, not {value.ToString(CultureInfo.InvariantCulture)}");
            }
        });
        return threshold;
    }

    /// <summary>OPA's field names and its omissions: a file without covered or uncovered lines has no such member.</summary>
    public static JsonObject ToJson(RegoCoverageReport report, Func<string, string> fileName)
    {
        var files = new JsonObject();
        foreach (var (file, coverage) in report.Files)
        {
            var entry = new JsonObject();
            if (coverage.Covered.Count > 0)
            {
                entry["covered"] = Ranges(coverage.Covered);
            }

            if (coverage.NotCovered.Count > 0)
            {
                entry["not_covered"] = Ranges(coverage.NotCovered);
            }

            if (coverage.Coverage > 0)
            {
                entry["coverage"] = coverage.Coverage;
            }

            files[fileName(file)] = entry;
        }

        return new JsonObject { ["files"] = files, ["coverage"] = report.Coverage };
    }

    /// <returns>False when the coverage is below <paramref name="threshold"/>.</returns>
    public static bool Write(RegoCoverageReport report, double? threshold, Func<string, string> fileName, TextWriter output, TextWriter error)
    {
        output.WriteLine(ToJson(report, fileName).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        error.WriteLine($"coverage: {Percent(report.Coverage)} ({report.CoveredLines} of {report.CountedLines} lines)");
        foreach (var (file, coverage) in report.Files.Where(f => f.Value.NotCovered.Count > 0))
        {
            error.WriteLine($"  {fileName(file)}: {Percent(coverage.Coverage)}, not reached: {string.Join(", ", coverage.NotCovered)}");
        }

        if (threshold is { } min && report.Coverage < min)
        {
            error.WriteLine($"Code coverage threshold not met: got {Percent(report.Coverage)} instead of {Percent(min)}");
            return false;
        }

        return true;
    }

    private static JsonArray Ranges(IReadOnlyList<RegoLineRange> ranges) =>
        new([.. ranges.Select(r => (JsonNode)new JsonObject
        {
            ["start"] = new JsonObject { ["row"] = r.Start },
            ["end"] = new JsonObject { ["row"] = r.End },
        })]);

    private static string Percent(double value) => value.ToString("0.##", CultureInfo.InvariantCulture) + "%";
}
