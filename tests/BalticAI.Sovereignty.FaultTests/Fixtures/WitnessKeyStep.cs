using System.Diagnostics;

namespace BalticAI.Sovereignty.FaultTests.Fixtures;

/// <summary>The inbox binary's `witness-key` step, run as docker compose's `inbox-pl-uodo-witness-key` runs it.</summary>
public static class WitnessKeyStep
{
    /// <summary>Creates the witness key at <paramref name="keyFile"/> when missing and writes its public key to <paramref name="publicKeyFile"/>.</summary>
    public static void Run(string keyFile, string publicKeyFile)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(Paths.InboxDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { Paths.InboxDll, "witness-key", "--public-key-file", publicKeyFile })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["Inbox__Witness__KeyFile"] = keyFile;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the inbox's witness-key step did not finish within 60 s");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"the inbox's witness-key step failed: {output} {error.Result}");
        }
    }
}
