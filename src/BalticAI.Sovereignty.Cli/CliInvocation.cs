using System.CommandLine;

namespace BalticAI.Sovereignty.Cli;

/// <summary>How `balticai` runs a command line.</summary>
public static class CliInvocation
{
    /// <summary>
    /// The ledger commands answer bad usage with exit code 2, as they document: their 1 says that the ledger, the proof or
    /// the audit failed, and System.CommandLine's own code for an argument it cannot parse is 1 too. The policy commands
    /// keep it, as `opa` does.
    /// </summary>
    public static async Task<int> InvokeAsync(RootCommand root, string[] args, InvocationConfiguration? console = null)
    {
        console ??= new InvocationConfiguration();
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 && args is ["ledger", ..])
        {
            foreach (var error in parsed.Errors)
            {
                await console.Error.WriteLineAsync(error.Message);
            }
            return 2;
        }
        return await parsed.InvokeAsync(console);
    }
}
