using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace BalticAI.Sovereignty.LoadTests;

/// <summary>
/// The broker as a separate Release process on a free loopback port, so the load crosses a real socket
/// and the generator's CPU use is not billed to the broker's thread pool. Disposing kills the process tree.
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

    public string Schema { get; }

    public int ProcessId => _process.Id;

    private BrokerProcess(Process process, StreamWriter log, Uri baseAddress, string schema)
    {
        _process = process;
        _log = log;
        BaseAddress = baseAddress;
        Schema = schema;
    }

    public static async Task<BrokerProcess> StartAsync(string repo, string connectionString, string schema, bool groupCommit, string logPath,
        IReadOnlyDictionary<string, string> settings, CancellationToken ct)
    {
        var apiDirectory = Path.Combine(repo, "src", "BalticAI.Sovereignty.Api");
        var dll = Path.Combine(apiDirectory, "bin", "Release", "net10.0", "BalticAI.Sovereignty.Api.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException("Build the broker in Release first (scripts/load-test.sh does).", dll);
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
        start.Environment["ConnectionStrings__Postgres"] = connectionString;
        start.Environment["Marten__Schema"] = schema;
        start.Environment["Decisions__GroupCommit__Enabled"] = groupCommit ? "true" : "false";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning";
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
        var broker = new BrokerProcess(process, log, baseAddress, schema);
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
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(120))
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
                // Slow first answer while the schema is applied.
            }
            await Task.Delay(500, ct);
        }
        throw new TimeoutException($"the broker was not ready within 120 s; see {logPath}");
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
