using System.Text;
using BalticAI.Sovereignty.Rego.Conformance;

namespace BalticAI.Sovereignty.Rego.Tests.Conformance;

/// <summary>
/// Runs every OPA YAML case. Cases listed in expected-failures.txt may fail; any other failure fails the test,
/// and so does a listed case that now passes (remove it from the list), so the list can only shrink.
/// </summary>
public sealed class ConformanceTests
{
    [ConformanceFact]
    public void Every_case_passes_or_is_a_listed_expected_failure()
    {
        Directory.Exists(ConformanceDirectory.Path).ShouldBeTrue($"conformance directory not found: {ConformanceDirectory.Path} (CI=true requires it)");
        var outcomes = ConformanceRunner.RunDirectory(ConformanceDirectory.Path);
        outcomes.ShouldNotBeEmpty();
        var expected = ExpectedFailures.Load();

        var unexpected = outcomes.Where(o => !o.Passed && !expected.ContainsKey(o.Id)).ToList();
        var nowPassing = outcomes.Where(o => o.Passed && expected.ContainsKey(o.Id)).ToList();
        var report = new StringBuilder();
        foreach (var o in unexpected)
        {
            report.AppendLine($"FAILED (not in expected-failures.txt): {o.Id}\n    {o.Reason}");
        }

        foreach (var o in nowPassing)
        {
            report.AppendLine($"NOW PASSES (remove from expected-failures.txt): {o.Id}");
        }

        report.Length.ShouldBe(0, $"{outcomes.Count(o => o.Passed)}/{outcomes.Count} passed\n{report}");
    }

    [Fact]
    public void Expected_failures_have_reasons()
    {
        ExpectedFailures.Load().ShouldAllBe(kv => kv.Value.Length > 0);
    }
}

/// <summary>expected-failures.txt: one "id&lt;TAB&gt;reason" per line; '#' starts a comment.</summary>
internal static class ExpectedFailures
{
    public static Dictionary<string, string> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Conformance", "expected-failures.txt");
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines(path))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var tab = line.IndexOf('\t');
            result[tab < 0 ? line : line[..tab]] = tab < 0 ? string.Empty : line[(tab + 1)..].Trim();
        }

        return result;
    }
}
