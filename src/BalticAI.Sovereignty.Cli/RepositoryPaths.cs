namespace BalticAI.Sovereignty.Cli;

/// <summary>Development files live in `.data/` beside BalticAI.Sovereignty.sln, shared with the broker.</summary>
public static class RepositoryPaths
{
    public static string DataFile(string name)
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BalticAI.Sovereignty.sln")))
            {
                return Path.Combine(dir.FullName, ".data", name);
            }
        }
        return Path.Combine(Environment.CurrentDirectory, ".data", name);
    }
}
