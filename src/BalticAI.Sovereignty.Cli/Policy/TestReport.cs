using BalticAI.Sovereignty.Rego;

namespace BalticAI.Sovereignty.Cli.Policy;

/// <summary>
/// Prints test results as `opa test` does (tester.PrettyReporter, open-policy-agent/opa): failures first, then each
/// file's tests when verbose or when any did not pass, a partial object test's cases indented below it (only the
/// failing ones unless verbose), a test whose evaluation raised an error as ERROR with the error below it, and a
/// summary that counts each case of a partial object test as one test, skipped and erroring tests apart, each count
/// printed only when it is not 0.
/// </summary>
internal static class TestReport
{
    /// <returns>How many tests did not pass: failed or raised an error.</returns>
    public static int Write(IReadOnlyList<RegoTestResult> results, bool verbose, Func<string, string> fileName, TextWriter output)
    {
        // OPA's FAILURES section lists only failures: an error has nothing more to say than its message.
        var failed = results.Where(r => r.Failed && !r.Errored).ToList();
        var notPassed = results.Count(r => r.Failed);
        if (failed.Count > 0)
        {
            output.WriteLine("FAILURES");
            output.WriteLine(new string('-', 80));
            foreach (var r in failed)
            {
                output.WriteLine($"{r.Name}: FAIL ({Format(r.Duration)})");
                if (r.Error != null)
                {
                    output.WriteLine($"  {r.Error}");
                }

                WriteCases(r.Cases, verbose: false, output);
            }

            output.WriteLine();
            output.WriteLine("SUMMARY");
            output.WriteLine(new string('-', 80));
        }

        if (verbose || notPassed > 0)
        {
            foreach (var group in results.GroupBy(r => r.File))
            {
                output.WriteLine($"{fileName(group.Key)}:");
                foreach (var r in group)
                {
                    output.WriteLine(r.Skipped ? $"{r.Name}: SKIPPED" : $"{r.Name}: {r.Outcome} ({Format(r.Duration)})");
                    WriteCases(r.Cases, verbose, output);
                    if (r.Errored)
                    {
                        output.WriteLine($"  {r.Error}");
                    }
                }
            }

            output.WriteLine(new string('-', 80));
        }

        var (pass, fail) = results.Where(r => !r.Skipped && !r.Errored).Aggregate((0, 0), (n, r) => Count(n, r.Cases.Count == 0 ? [new RegoTestCase(r.Name, r.Passed, [])] : r.Cases));
        var skip = results.Count(r => r.Skipped);
        var errors = results.Count(r => r.Errored);
        var total = pass + fail + skip + errors;
        // OPA's PrettyReporter prints each count only when it is not 0, PASS too, so a run where nothing passed has no PASS line.
        if (pass > 0)
        {
            output.WriteLine($"PASS: {pass}/{total}");
        }

        if (fail > 0)
        {
            output.WriteLine($"FAIL: {fail}/{total}");
        }

        if (skip > 0)
        {
            output.WriteLine($"SKIPPED: {skip}/{total}");
        }

        if (errors > 0)
        {
            output.WriteLine($"ERROR: {errors}/{total}");
        }

        return notPassed;
    }

    /// <summary>Leaf cases only, as OPA counts them: a case with cases of its own is their group, not a test.</summary>
    private static (int Pass, int Fail) Count((int Pass, int Fail) n, IReadOnlyList<RegoTestCase> cases) =>
        cases.Aggregate(n, (acc, c) => c.Cases.Count > 0 ? Count(acc, c.Cases) : c.Passed ? (acc.Pass + 1, acc.Fail) : (acc.Pass, acc.Fail + 1));

    private static void WriteCases(IReadOnlyList<RegoTestCase> cases, bool verbose, TextWriter output)
    {
        foreach (var line in RegoTestCase.Lines(cases, all: verbose))
        {
            output.WriteLine(line);
        }
    }

    private static string Format(TimeSpan t) => t.TotalMilliseconds >= 1 ? $"{t.TotalMilliseconds:0.###}ms" : $"{t.TotalMicroseconds:0.###}µs";
}
