using System.Diagnostics;

namespace BalticAI.Sovereignty.FaultTests.Fixtures;

/// <summary>
/// The private RabbitMQ node (fault@localhost on 127.0.0.1:5673), started fresh for the test class and
/// wiped afterwards; the shared node on 5672 is never touched.
/// </summary>
public sealed class FaultRabbitMq : IAsyncLifetime
{
    public const int Port = 5673;

    public Task StartAsync() => RunAsync("start", TimeSpan.FromSeconds(120));

    public Task StopAsync() => RunAsync("stop", TimeSpan.FromSeconds(90));

    public async Task InitializeAsync()
    {
        await RunAsync("wipe", TimeSpan.FromSeconds(90));
        await StartAsync();
    }

    public Task DisposeAsync() => RunAsync("wipe", TimeSpan.FromSeconds(90));

    private static async Task RunAsync(string command, TimeSpan timeout)
    {
        using var process = Process.Start(new ProcessStartInfo("bash", [Paths.FaultRabbitMqScript, command])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        using var cancel = new CancellationTokenSource(timeout);
        var errors = process.StandardError.ReadToEndAsync(cancel.Token);
        await process.StandardOutput.ReadToEndAsync(cancel.Token);
        await process.WaitForExitAsync(cancel.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"fault-rabbitmq.sh {command} failed: {await errors}");
        }
    }
}
