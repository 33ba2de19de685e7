using System.CommandLine;
using System.Diagnostics;
using BalticAI.Sovereignty.Api.Policies.Bundles;
using BalticAI.Sovereignty.Api.Policies.Engines;
using BalticAI.Sovereignty.Api.Policies.Lifecycle;
using BalticAI.Sovereignty.Rego;

namespace BalticAI.Sovereignty.Cli.Policy;

/// <summary>
/// `policy test DIR`: runs every test_ rule of every module, as `opa test` and activation do. A broker bundle (see
/// <see cref="IsBundle"/>) is read by <see cref="PolicyBundleLoader"/> and checked by <see cref="BundleValidation"/>,
/// as activation reads and checks it, so its tests see the data activation mounts; any other directory is read as
/// `opa test` reads one, each .json, .yaml and .yml file at the path of its folder. A package outside the bundle root
/// is refused first (exit code 2) either way, as activation would refuse it, and so is a run that outlasts `--deadline`.
/// </summary>
internal static class TestCommand
{
    /// <summary>How `policy test` reads DIR's files.</summary>
    public enum Layout
    {
        /// <summary>`Bundle` if DIR holds a `.manifest` or a `data/` folder, `Opa` otherwise.</summary>
        Auto,

        /// <summary>As activation reads it: the `data/*.json` documents' keys under data.balticai, no other .json.</summary>
        Bundle,

        /// <summary>As `opa test DIR` reads it: every .json, .yaml and .yml file anywhere, at the path of its folder.</summary>
        Opa,
    }

    public static Command Create()
    {
        var dir = new Argument<DirectoryInfo>("dir") { Description = "Directory with policies, their tests and data .json/.yaml files" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Print every test, not only failures" };
        var timeout = TestDeadline.CreateTimeout();
        var deadline = TestDeadline.Create();
        var layout = new Option<Layout>("--layout")
        {
            Description = "bundle: data/*.json under data.balticai, as activation mounts them; opa: every .json/.yaml/.yml at its folder's path, " +
                "as opa test; auto (default): bundle if DIR holds .manifest or data/",
            DefaultValueFactory = _ => Layout.Auto,
        };
        var coverage = CoverageOutput.CreateCoverage();
        var threshold = CoverageOutput.CreateThreshold();
        var cmd = new Command("test", "Run Rego unit tests (test_* rules)") { dir, verbose, timeout, deadline, layout, coverage, threshold };
        cmd.SetAction(parse => Run(
            parse.GetValue(dir)!,
            new RunOptions(parse.GetValue(verbose), parse.GetValue(timeout), parse.GetValue(deadline), parse.GetValue(layout),
                parse.GetValue(coverage) || parse.GetValue(threshold) is not null, parse.GetValue(threshold)),
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error));
        return cmd;
    }

    /// <summary>
    /// A directory is a broker bundle when it holds either thing <see cref="PolicyBundleLoader"/> reads besides the
    /// modules: `.manifest` (its revision, and what `opa build` takes for a bundle) or `data/` (its documents). The
    /// loader itself requires neither, but without `data/` it mounts no data at all, so for such a directory the two
    /// layouts differ only in the .json files placed elsewhere, which activation ignores and `opa test` mounts. A
    /// `data/` folder is where they part: `data/x.json` is data.balticai.x at activation and data.data.x to `opa test`,
    /// so a test reading either one could pass here and fail at activation, or the reverse. `--layout` overrides the guess.
    /// </summary>
    public static bool IsBundle(DirectoryInfo dir) =>
        File.Exists(Path.Combine(dir.FullName, ".manifest")) || Directory.Exists(Path.Combine(dir.FullName, "data"));

    private sealed record RunOptions(bool Verbose, TimeSpan Timeout, TimeSpan Deadline, Layout Layout, bool Coverage, double? Threshold);

    private static int Run(DirectoryInfo dir, RunOptions run, TextWriter output, TextWriter error)
    {
        // Started before loading, as activation starts its Policy:TestTimeout before compiling.
        var started = Stopwatch.StartNew();
        using var deadline = new CancellationTokenSource(run.Deadline);
        var options = RegoOptions.Default with { Timeout = run.Timeout };
        var bundle = run.Layout == Layout.Bundle || (run.Layout == Layout.Auto && IsBundle(dir));
        var policy = bundle ? LoadBundle(dir, options, error) : LoadOpa(dir, options, error);
        if (policy is null)
        {
            return 2;
        }

        var coverage = run.Coverage ? new RegoCoverage() : null;
        IReadOnlyList<RegoTestResult>? results = null;
        try
        {
            results = policy.RunTests(coverage, deadline.Token);
        }
        catch (OperationCanceledException)
        {
            // Reported below, with a run that finished past the deadline.
        }
        // The deadline's timer fires on the thread pool, which a busy process may serve late: the clock decides too.
        if (results is null || started.Elapsed > run.Deadline)
        {
            error.WriteLine(TestDeadline.Exceeded(run.Deadline));
            return 2;
        }

        // A bundle's module is named by its path in the bundle, as activation names it; opa's by its path from here.
        Func<string, string> fileName = file => bundle ? file : Path.GetRelativePath(dir.FullName, file);
        // With coverage, standard output is the report alone, so that it can be piped as JSON.
        var failed = TestReport.Write(results, run.Verbose, fileName, coverage is null ? output : error);
        if (failed > 0)
        {
            // A test that fails only for where its data sits says so here.
            error.WriteLine(bundle
                ? $"read as a broker bundle, as activation reads it: data/*.json under data.{PolicyBundleLoader.DataRoot}"
                : "read as opa test reads a directory: every .json, .yaml and .yml file at the path of its folder");
            return 1;
        }

        // Coverage short of the threshold is a problem found, as a failing test is: exit code 1 (2 is for nothing checked).
        return coverage is null || CoverageOutput.Write(coverage.Report(policy), run.Threshold, fileName, output, error) ? 0 : 1;
    }

    /// <summary>Exactly what activation compiles and checks before it runs the tests; null (after the errors) if it would refuse.</summary>
    private static RegoPolicy? LoadBundle(DirectoryInfo dir, RegoOptions options, TextWriter error)
    {
        if (CliBundle.Load(dir, error) is not { } bundle)
        {
            return null;
        }
        try
        {
            return BundleValidation.Compile(bundle, options);
        }
        catch (PolicyBundleInvalidException e)
        {
            CliBundle.WriteRefusal(e, error);
            return null;
        }
    }

    private static RegoPolicy? LoadOpa(DirectoryInfo dir, RegoOptions options, TextWriter error)
    {
        RegoPolicy policy;
        try
        {
            policy = PolicyLoader.Load([dir.FullName], options, schemas: RegoSchemaSet.Empty);
        }
        catch (DataLoadException e)
        {
            error.WriteLine(string.Join(Environment.NewLine, e.Errors));
            return null;
        }
        catch (RegoException e)
        {
            foreach (var err in e.Errors)
            {
                error.WriteLine(err);
            }

            return null;
        }

        // Activation refuses such a bundle before running its tests, so passing them here would mislead.
        var outside = BundleRoot.Violations(policy);
        if (outside.Count == 0)
        {
            return policy;
        }

        error.WriteLine(BundleRoot.Refusal);
        foreach (var module in outside)
        {
            error.WriteLine($"  {module}");
        }

        return null;
    }
}
