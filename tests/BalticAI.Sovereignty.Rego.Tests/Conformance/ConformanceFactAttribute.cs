namespace BalticAI.Sovereignty.Rego.Tests.Conformance;

/// <summary>
/// A fact that is skipped (with the reason shown) when the conformance directory is absent, unless CI=true,
/// where it runs and fails. xunit 2 has no runtime skip, so the decision is made when the attribute is built.
/// </summary>
public sealed class ConformanceFactAttribute : FactAttribute
{
    public ConformanceFactAttribute()
    {
        if (!Directory.Exists(ConformanceDirectory.Path) && !ConformanceDirectory.IsCi)
        {
            Skip = $"conformance directory not found: {ConformanceDirectory.Path} (set REGO_CONFORMANCE_DIR)";
        }
    }
}

/// <summary>Where the OPA cases are: REGO_CONFORMANCE_DIR, else ../shared/conformance/opa next to the solution folder.</summary>
public static class ConformanceDirectory
{
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string Path { get; } = Find();

    private static string Find()
    {
        var env = Environment.GetEnvironmentVariable("REGO_CONFORMANCE_DIR");
        if (!string.IsNullOrWhiteSpace(env))
        {
            return System.IO.Path.GetFullPath(env);
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "BalticAI.Sovereignty.sln")))
            {
                return System.IO.Path.GetFullPath(System.IO.Path.Combine(dir.FullName, "..", "shared", "conformance", "opa"));
            }
        }

        return System.IO.Path.GetFullPath(System.IO.Path.Combine(AppContext.BaseDirectory, "shared", "conformance", "opa"));
    }
}
