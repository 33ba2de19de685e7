using System.CommandLine;
using BalticAI.Sovereignty.Cli.Policy;

namespace BalticAI.Sovereignty.Cli.Tests.Policy;

/// <summary>A temporary directory of policies and data that a test writes and runs `balticai policy` commands on; deleted on dispose.</summary>
internal sealed class PolicyDirectory(string prefix) : IDisposable
{
    public DirectoryInfo Root { get; } = Directory.CreateTempSubdirectory(prefix);

    public string FullName => Root.FullName;

    public void Write(string path, string source)
    {
        var file = Path.Combine(Root.FullName, path);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, source);
    }

    /// <summary>`balticai policy COMMAND DIR OPTIONS...`: its exit code, standard output and standard error.</summary>
    public async Task<(int Exit, string Output, string Error)> RunAsync(string command, params string[] options)
    {
        var root = new RootCommand { PolicyCommand.Create() };
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await root.Parse(["policy", command, Root.FullName, .. options]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    public void Dispose() => Root.Delete(recursive: true);
}
