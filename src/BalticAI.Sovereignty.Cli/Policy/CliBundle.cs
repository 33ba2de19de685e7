using System.Text.Json;
using BalticAI.Sovereignty.Api.Policies.Bundles;
using BalticAI.Sovereignty.Api.Policies.Engines;

namespace BalticAI.Sovereignty.Cli.Policy;

/// <summary>How `policy test` and `policy bundle` read a broker bundle and report what activation would refuse.</summary>
internal static class CliBundle
{
    /// <summary>The bundle as the broker reads it, or null after the reason on <paramref name="error"/>.</summary>
    public static PolicyBundle? Load(DirectoryInfo dir, TextWriter error)
    {
        try
        {
            return PolicyBundleLoader.Load(dir.FullName);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or JsonException or UnauthorizedAccessException)
        {
            error.WriteLine(e.Message);
            return null;
        }
    }

    /// <summary>Activation's reasons, as its 422 would list them.</summary>
    public static void WriteRefusal(PolicyBundleInvalidException refused, TextWriter error)
    {
        error.WriteLine(refused.Message);
        foreach (var reason in refused.Errors)
        {
            error.WriteLine($"  {reason}");
        }
    }
}
