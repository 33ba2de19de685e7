namespace BalticAI.Sovereignty.Api.Tests.Policies;

/// <summary>Files of the repository (policies/, schemas/), found from wherever the tests run.</summary>
public static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "BalticAI.Sovereignty.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("BalticAI.Sovereignty.sln not found above " + AppContext.BaseDirectory);
    }
}
