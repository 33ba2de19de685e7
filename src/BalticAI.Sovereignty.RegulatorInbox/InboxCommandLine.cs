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

    public static IConfiguration Configuration(string[] settings) => new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
        .AddEnvironmentVariables()
        .AddCommandLine(settings)
        .Build();
}
