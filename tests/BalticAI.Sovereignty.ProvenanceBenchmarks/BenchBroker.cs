using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace BalticAI.Sovereignty.ProvenanceBenchmarks;

/// <summary>
/// The Release broker as a child process on a free loopback port and a schema of its own, with feeds
/// off (seeded history is not news for the regulators' queues). Disposing kills the process tree.
/// </summary>
public sealed class BenchBroker : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    public Uri BaseAddress { get; }

    private BenchBroker(Process process, StreamWriter log, Uri baseAddress)
    {
        _process = process;
        _log = log;
        BaseAddress = baseAddress;
    }

    public static async Task<BenchBroker> StartAsync(string repo, string schema, string logPath, CancellationToken ct)
    {
        var apiDirectory = Path.Combine(repo, "src", "BalticAI.Sovereignty.Api");
        var dll = Path.Combine(apiDirectory, "bin", "Release", "net10.0", "BalticAI.Sovereignty.Api.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException("Build the broker in Release first.", dll);
        }
        var baseAddress = new Uri($"http://127.0.0.1:{FreeLoopbackPort()}");
        var start = new ProcessStartInfo("dotnet", [dll, "--urls", baseAddress.ToString().TrimEnd('/')])
        {
            WorkingDirectory = apiDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Marten__Schema"] = schema;
        start.Environment["Feeds__Enabled"] = "false";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the broker");
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var broker = new BenchBroker(process, log, baseAddress);
        try
        {
            await broker.WaitUntilReadyAsync(logPath, ct);
            return broker;
        }
        catch
        {
            await broker.DisposeAsync();
            throw;
        }
    }

    private async Task WaitUntilReadyAsync(string logPath, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(180))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the broker exited during start-up (code {_process.ExitCode}); see {logPath}");
            }
            try
            {
                if ((await http.GetAsync("/health/ready", ct)).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                // Slow first answer while the schema is patched.
            }
            await Task.Delay(500, ct);
        }
        throw new TimeoutException($"the broker was not ready within 180 s; see {logPath}");
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (log)
        {
            log.WriteLine(line);
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }
}
