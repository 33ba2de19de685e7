using System.CommandLine;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Policies;
using BalticAI.Sovereignty.Api.Policies.Bundles;
using BalticAI.Sovereignty.Rego;

namespace BalticAI.Sovereignty.Cli.Policy;

/// <summary>
/// `policy test DIR`: runs every test_ rule of every module, as `opa test` and activation do, loading .rego and .json
/// files under DIR. A package outside the bundle root is refused first (exit code 2), as activation would refuse it,
/// and so is a run that outlasts `--deadline`.
/// </summary>
internal static class TestCommand
{
    public static Command Create()
    {
        var dir = new Argument<DirectoryInfo>("dir") { Description = "Directory with policies, their tests and data .json files" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Print every test, not only failures" };
        // Activation runs each test under Policy:EvaluationTimeout; the same default here, so a test that passes
        // only with more time fails here first rather than at activation.
        var timeout = new Option<TimeSpan>("--timeout")
        {
            Description = "Wall-clock limit per test query (the broker's Policy:EvaluationTimeout)",
            DefaultValueFactory = _ => new PolicyOptions().EvaluationTimeout,
        };
        var deadline = TestDeadline.Create();
        var cmd = new Command("test", "Run Rego unit tests (test_* rules)") { dir, verbose, timeout, deadline };
        cmd.SetAction(parse => Run(parse.GetValue(dir)!, parse.GetValue(verbose), parse.GetValue(timeout), parse.GetValue(deadline),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return cmd;
    }

    private static int Run(DirectoryInfo dir, bool verbose, TimeSpan timeout, TimeSpan deadline, TextWriter output, TextWriter error)
    {
        // Started before loading, as activation starts its Policy:TestTimeout before compiling.
        using var run = new CancellationTokenSource(deadline);
        RegoPolicy policy;
        try
        {
            policy = PolicyLoader.Load([dir.FullName], RegoOptions.Default with { Timeout = timeout });
        }
        catch (RegoException e)
        {
            foreach (var err in e.Errors)
            {
                error.WriteLine(err);
            }

            return 2;
        }

        // Activation refuses such a bundle before running its tests, so passing them here would mislead.
        var outside = BundleRoot.Violations(policy);
        if (outside.Count > 0)
        {
            error.WriteLine(BundleRoot.Refusal);
            foreach (var module in outside)
            {
                error.WriteLine($"  {module}");
            }

            return 2;
        }

        IReadOnlyList<RegoTestResult> results;
        try
        {
            results = policy.RunTests(run.Token);
        }
        catch (OperationCanceledException)
        {
            error.WriteLine(TestDeadline.Exceeded(deadline));
            return 2;
        }

        var failed = results.Where(r => !r.Passed).ToList();
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
            }

            output.WriteLine();
            output.WriteLine("SUMMARY");
            output.WriteLine(new string('-', 80));
        }

        foreach (var group in results.GroupBy(r => r.File))
        {
            if (!verbose && failed.Count == 0)
            {
                break;
            }

            output.WriteLine($"{Path.GetRelativePath(dir.FullName, group.Key)}:");
            foreach (var r in group)
            {
                output.WriteLine($"{r.Name}: {(r.Passed ? "PASS" : "FAIL")} ({Format(r.Duration)})");
            }
        }

        if (verbose || failed.Count > 0)
        {
            output.WriteLine(new string('-', 80));
        }

        output.WriteLine($"PASS: {results.Count - failed.Count}/{results.Count}");
        if (failed.Count > 0)
        {
            output.WriteLine($"FAIL: {failed.Count}/{results.Count}");
        }

        return failed.Count == 0 ? 0 : 1;
    }

    private static string Format(TimeSpan t) => t.TotalMilliseconds >= 1 ? $"{t.TotalMilliseconds:0.###}ms" : $"{t.TotalMicroseconds:0.###}µs";
}
