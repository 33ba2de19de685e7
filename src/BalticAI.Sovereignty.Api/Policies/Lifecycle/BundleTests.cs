using BalticAI.Sovereignty.Rego;

namespace BalticAI.Sovereignty.Api.Policies.Lifecycle;

/// <summary>
/// How well the bundle's own tests exercised it when it was activated: tests passed and skipped (`todo_test_`), and
/// their line coverage over every module as `opa test --coverage` counts it, with the lines no test reached
/// (`file: 12, 14-15`). Recorded with the activation, so an auditor reads how tested the policy in force was.
/// </summary>
public sealed record BundleTests(int Passed, int Skipped, double Coverage, int CoveredLines, int CountedLines, IReadOnlyList<string> NotCovered)
{
    public static BundleTests Of(IReadOnlyList<RegoTestResult> results, RegoCoverageReport coverage) =>
        new(
            results.Count(r => r.Passed && !r.Skipped),
            results.Count(r => r.Skipped),
            coverage.Coverage,
            coverage.CoveredLines,
            coverage.CountedLines,
            coverage.Files
                .Where(f => f.Value.NotCovered.Count > 0)
                .OrderBy(f => f.Key, StringComparer.Ordinal)
                .Select(f => $"{f.Key}: {string.Join(", ", f.Value.NotCovered)}")
                .ToList());
}
