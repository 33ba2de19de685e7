using System.CommandLine;

namespace BalticAI.Sovereignty.RegulatorInbox;

/// <summary>
/// What the inbox's commands (`problems`, `witness-key`) share with the inbox itself: its configuration, read from
/// appsettings.json beside the binary, the environment and `--Section:Key=value` arguments, in that order.
/// </summary>
public static class InboxCommandLine
{
    /// <summary>`--Section:Key=value`, as the web host's command-line configuration reads it.</summary>
    public static bool IsSetting(string arg) =>
        arg.StartsWith("--", StringComparison.Ordinal) && arg.IndexOf('=', StringComparison.Ordinal) is var eq and > 2 && arg.AsSpan(2, eq - 2).Contains(':');

    /// <summary>
    /// Runs the command on the arguments that are not settings. A parse error is exit code 2, as the commands' own bad usage
    /// is: System.CommandLine's own code for it is 1, which the commands give a meaning of their own.
    /// </summary>
    public static async Task<int> InvokeAsync(RootCommand root, string[] args, TextWriter output, TextWriter error)
    {
        var parsed = root.Parse(args.Where(a => !IsSetting(a)).ToArray());
        if (parsed.Errors.Count > 0)
        {
            foreach (var e in parsed.Errors)
            {
                await error.WriteLineAsync(e.Message);
            }
            return 2;
        }
        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
    }

    public static IConfiguration Configuration(string[] settings) => new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
        .AddEnvironmentVariables()
        .AddCommandLine(settings)
        .Build();
}
