using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace BalticAI.Sovereignty.Tests.Shared;

/// <summary>
/// The broker as a separate Release process in Development mode on a free loopback port, so the load
/// crosses a real socket and the generator's CPU use is not billed to the broker's thread pool. Shared by
/// the load test and the provenance benchmark (linked into both). Disposing kills the process tree.
/// </summary>
public sealed class BrokerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    public Uri BaseAddress { get; }

    /// <summary>CPU the broker used so far: on a shared machine, CPU per decision is steadier than wall-clock figures.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public int ProcessId => _process.Id;

    private BrokerProcess(Process process, StreamWriter log, Uri baseAddress)
    {
        _process = process;
        _log = log;
        BaseAddress = baseAddress;
    }

    /// <param name="settings">Configuration as environment variables (`Marten__Schema`, ...).</param>
    /// <param name="readyWithin">How long start-up may take (schema creation, catching up a seeded ledger).</param>
    public static async Task<BrokerProcess> StartAsync(string repo, IReadOnlyDictionary<string, string> settings, string logPath, TimeSpan readyWithin, CancellationToken ct)
    {
        var apiDirectory = Path.Combine(repo, "src", "BalticAI.Sovereignty.Api");
        var dll = Path.Combine(apiDirectory, "bin", "Release", "net10.0", "BalticAI.Sovereignty.Api.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException("Build the broker in Release first.", dll);
        }
        var baseAddress = new Uri($"http://127.0.0.1:{FreeLoopbackPort()}");
        // The working directory is the project folder: appsettings.Development.json resolves .data and policies from there.
        var start = new ProcessStartInfo("dotnet", [dll, "--urls", baseAddress.ToString().TrimEnd('/')])
        {
            WorkingDirectory = apiDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the broker");
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var broker = new BrokerProcess(process, log, baseAddress);
        try
        {
            await broker.WaitUntilReadyAsync(logPath, readyWithin, ct);
            return broker;
        }
        catch
        {
            await broker.DisposeAsync();
            throw;
        }
    }

    private async Task WaitUntilReadyAsync(string logPath, TimeSpan readyWithin, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < readyWithin)
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
                // Slow first answer while the schema is applied or patched.
            }
            await Task.Delay(500, ct);
        }
        throw new TimeoutException($"the broker was not ready within {readyWithin.TotalSeconds:F0} s; see {logPath}");
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
