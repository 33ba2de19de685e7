using System.CommandLine;
using System.Text.Json;
using BalticAI.Sovereignty.Api.Policies.ActivatingBundle;
using BalticAI.Sovereignty.Api.Policies.Bundles;
using BalticAI.Sovereignty.Api.Policies.Engines;
using BalticAI.Sovereignty.Api.Policies.Lifecycle;
using BalticAI.Sovereignty.Rego;

namespace BalticAI.Sovereignty.Cli.Policy;

/// <summary>
/// `policy bundle DIR`: prints the body of `POST /policies/bundles` for a bundle directory, read exactly as
/// the broker reads its shipped bundle, and its digest on stderr. A fresh ledger records the shipped bundle
/// at start; an existing one keeps its recorded bundle until a PolicyAdmin activates a new one, and this is
/// how a new release of policies/ gets there. A bundle activation would refuse without running it (it does not
/// compile, or a package is outside the bundle root) is refused here, exit code 2.
/// </summary>
internal static class BundleCommand
{
    public static Command Create()
    {
        var dir = new Argument<DirectoryInfo>("dir") { Description = "Bundle directory (.manifest, *.rego, data/*.json), e.g. policies" };
        var cmd = new Command("bundle", "Print the POST /policies/bundles body for a bundle directory (digest on stderr)") { dir };
        cmd.SetAction(parse => Run(parse.GetValue(dir)!, parse.InvocationConfiguration));
        return cmd;
    }

    private static int Run(DirectoryInfo dir, InvocationConfiguration console)
    {
        PolicyBundle bundle;
        try
        {
            bundle = PolicyBundleLoader.Load(dir.FullName);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or JsonException or UnauthorizedAccessException)
        {
            console.Error.WriteLine(e.Message);
            return 2;
        }
        try
        {
            BundleValidation.CompileBelowRoot(bundle, RegoOptions.Default);
        }
        catch (PolicyBundleInvalidException e)
        {
            // Activation would refuse it with 422 for the same errors; printing its body would only defer that.
            console.Error.WriteLine(e.Message);
            foreach (var error in e.Errors)
            {
                console.Error.WriteLine($"  {error}");
            }
            return 2;
        }
        // The endpoint's own request record, so the body follows its contract.
        var body = new ActivateBundleEndpoint.ActivateBundle(bundle.Revision, bundle.Modules, bundle.Data[PolicyBundleLoader.DataRoot]?.AsObject());
        console.Output.WriteLine(JsonSerializer.Serialize(body, JsonSerializerOptions.Web));
        console.Error.WriteLine($"{bundle.Revision} {bundle.Digest}");
        return 0;
    }
}
