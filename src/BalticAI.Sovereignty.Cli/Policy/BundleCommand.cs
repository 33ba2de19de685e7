using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using BalticAI.Sovereignty.Api.Policies.ActivatingBundle;
using BalticAI.Sovereignty.Api.Policies.Bundles;
using BalticAI.Sovereignty.Api.Policies.Engines;
using BalticAI.Sovereignty.Api.Policies.Lifecycle;
using BalticAI.Sovereignty.Api.Policies.ReadingBundles;
using BalticAI.Sovereignty.Rego;

namespace BalticAI.Sovereignty.Cli.Policy;

/// <summary>
/// `policy bundle DIR`: prints the body of `POST /policies/bundles` for a bundle directory, read exactly as
/// the broker reads its shipped bundle, and its digest on stderr; with `--archive FILE`, writes it as an OPA bundle
/// archive instead, which `policy sign` signs for a broker that activates signed bundles only. A fresh ledger records the shipped bundle
/// at start; an existing one keeps its recorded bundle until a PolicyAdmin activates a new one, and this is
/// how a new release of policies/ gets there. A bundle activation would refuse (it does not compile, a package is
/// outside the bundle root, a data document sits where a rule is, or one of its tests fails) is refused here by
/// the same validation, exit code 2: a body printed for it would only defer activation's 422. So is a bundle whose
/// tests outlast `--deadline`, activation's Policy:TestTimeout, or reach less of its lines than `--minimum-coverage`,
/// activation's Policy:MinimumTestCoverage. A second stderr line gives what the tests showed, as the activation records it.
/// </summary>
internal static class BundleCommand
{
    public static Command Create()
    {
        var dir = new Argument<DirectoryInfo>("dir") { Description = "Bundle directory (.manifest, *.rego, data/*.json), e.g. policies" };
        var timeout = TestDeadline.CreateTimeout();
        var deadline = TestDeadline.Create();
        var minimum = CoverageOutput.CreateThreshold("--minimum-coverage",
            "Refuse (exit code 2) a bundle whose tests reach less than this percentage of its lines (the broker's Policy:MinimumTestCoverage)");
        var archive = new Option<FileInfo?>("--archive")
        {
            Description = "Write the bundle to this file as an OPA bundle archive (the bytes GET /policies/bundles/{digest} gives), "
                + "to sign with `policy sign` for Policy:InitialBundle or a signed activation, instead of printing the JSON body",
        };
        var cmd = new Command("bundle", "Validate a bundle directory as activation does and print its POST /policies/bundles body (digest on stderr)")
        {
            dir, timeout, deadline, minimum, archive,
        };
        cmd.SetAction(parse => Run(parse.GetValue(dir)!, parse.GetValue(timeout), parse.GetValue(deadline), parse.GetValue(minimum) ?? 0, parse.GetValue(archive),
            parse.InvocationConfiguration));
        return cmd;
    }

    private static int Run(DirectoryInfo dir, TimeSpan timeout, TimeSpan deadline, double minimumCoverage, FileInfo? archive, InvocationConfiguration console)
    {
        // Started before reading the bundle, as activation starts its Policy:TestTimeout before compiling.
        using var run = new CancellationTokenSource(deadline);
        if (CliBundle.Load(dir, console.Error) is not { } bundle)
        {
            return 2;
        }
        BundleTests tests;
        try
        {
            tests = BundleValidation.Validate(bundle, RegoOptions.Default with { Timeout = timeout }, run.Token, minimumCoverage);
        }
        catch (OperationCanceledException)
        {
            console.Error.WriteLine(TestDeadline.Exceeded(deadline));
            return 2;
        }
        catch (PolicyBundleInvalidException e)
        {
            CliBundle.WriteRefusal(e, console.Error);
            return 2;
        }
        if (archive is not null)
        {
            try
            {
                File.WriteAllBytes(archive.FullName, OpaBundleExport.Write(bundle));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                console.Error.WriteLine($"{archive.FullName}: {e.Message}");
                return 2;
            }
        }
        else
        {
            // The endpoint's own request record, so the body follows its contract.
            var body = new ActivateBundleEndpoint.ActivateBundle(bundle.Revision, bundle.Modules, bundle.Data[PolicyBundleLoader.DataRoot]?.AsObject());
            console.Output.WriteLine(JsonSerializer.Serialize(body, Printed));
        }
        console.Error.WriteLine($"{bundle.Revision} {bundle.Digest}");
        console.Error.WriteLine(
            $"tests: {tests.Passed} passed, line coverage {tests.Coverage.ToString("0.##", CultureInfo.InvariantCulture)}% ({tests.CoveredLines} of {tests.CountedLines} lines)");
        return 0;
    }

    /// <summary>
    /// Module sources as their authors wrote them: the default encoder printed `>-` in a METADATA block as `\u003E-`,
    /// and any non-ASCII text escaped. The body goes to a file or to curl, never into HTML.
    /// </summary>
    private static readonly JsonSerializerOptions Printed = new(JsonSerializerOptions.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
