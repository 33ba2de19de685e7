using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Tests.Shared;

namespace BalticAI.Sovereignty.LoadTests;

/// <summary>A started, seeded and JIT-warmed broker in its own schema; disposing stops it and drops the schema.</summary>
public sealed class SeededBroker : IAsyncDisposable
{
    private readonly BrokerProcess _broker;
    private readonly HttpClient _http;
    private readonly Database _db;
    private readonly AuthenticationHeaderValue _auth;
    private readonly World _world;
    private readonly string _label;
    private readonly string _schema;
    private readonly RunFeeds _feeds;

    /// <summary>Which bundle decided and what each decision was, for the report.</summary>
    public string Setup { get; }

    private SeededBroker(BrokerProcess broker, string schema, RunFeeds feeds, HttpClient http, Database db, AuthenticationHeaderValue auth, World world, string label, string setup)
    {
        _broker = broker;
        _schema = schema;
        _feeds = feeds;
        _http = http;
        _db = db;
        _auth = auth;
        _world = world;
        _label = label;
        Setup = setup;
    }

    /// <summary>The decision points measure what one caller can get through; its rate limit would cap that.</summary>
    public static readonly IReadOnlyDictionary<string, string> Unlimited = new Dictionary<string, string> { ["RateLimits__Enabled"] = "false" };

    public HttpClient Http => _http;

    public World World => _world;

    public TimeSpan CpuTime => _broker.CpuTime;

    public static async Task<SeededBroker> StartAsync(string repo, Database db, LoadOptions options, string workDirectory, string schema, bool groupCommit,
        IReadOnlyDictionary<string, string> settings, CancellationToken ct)
    {
        BrokerProcess? broker = null;
        HttpClient? http = null;
        var feeds = RunFeeds.For(repo, schema);
        try
        {
            var environment = new Dictionary<string, string>
            {
                ["ConnectionStrings__Postgres"] = db.NpgsqlConnectionString,
                ["Marten__Schema"] = schema,
                ["Decisions__GroupCommit__Enabled"] = groupCommit ? "true" : "false",
                ["Logging__LogLevel__Default"] = "Warning",
                ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
            };
            foreach (var (key, value) in feeds.Settings.Concat(settings))
            {
                environment[key] = value;
            }
            broker = await BrokerProcess.StartAsync(repo, environment, Path.Combine(workDirectory, $"{schema}.log"), TimeSpan.FromSeconds(120), ct);
            http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
            {
                BaseAddress = broker.BaseAddress,
                Timeout = TimeSpan.FromSeconds(30),
            };
            var tenants = Tenants.ForRepository(repo);
            var world = await World.SeedAsync(http, tenants, options.Datasets, ct);
            var auth = tenants.Bearer(Tenants.PlCyfronet, "TrainingSystem");
            var outcome = await ProbeAsync(http, auth, world, ct);
            // Unmeasured: lets tiered JIT settle on optimised code before the first point.
            await ClosedLoop.RunAsync(http, auth, world, options.Clients.Max(), options.JitWarmUp, TimeSpan.FromSeconds(1), options.IdempotencyKeys, ct);
            await DaemonCatchUp.WaitAsync(db, schema, TimeSpan.FromMinutes(2), ct);
            var label = groupCommit ? "batched  " : "unbatched";
            // The process id lets a profiler (dotnet-trace, dotnet-counters) attach to the broker under load.
            Console.WriteLine($"broker {label} seeded, process {broker.ProcessId}, schema {schema}");
            return new SeededBroker(broker, schema, feeds, http, db, auth, world, label, $"Policy: {world.Policy}; each decision is {outcome}{(options.IdempotencyKeys ? "; every request carries a fresh Idempotency-Key" : "")}.");
        }
        catch
        {
            http?.Dispose();
            if (broker is not null)
            {
                await broker.DisposeAsync();
            }
            await db.PsqlAsync($"drop schema if exists {schema} cascade", CancellationToken.None);
            await feeds.DeleteAsync();
            throw;
        }
    }

    public async Task<LoopResult> MeasureAsync(int clients, LoadOptions options, CancellationToken ct)
    {
        var cpuBefore = _broker.CpuTime;
        var machineBefore = MachineCpu.BusyMilliseconds();
        var flushesBefore = await WalFlushesAsync(ct);
        var result = await ClosedLoop.RunAsync(_http, _auth, _world, clients, options.WarmUp, options.Duration, options.IdempotencyKeys, ct);
        var catchUp = await DaemonCatchUp.WaitAsync(_db, _schema, options.Duration * 4, ct);
        var flushes = await WalFlushesAsync(ct) - flushesBefore;
        result = result with
        {
            CpuMsPerDecision = (_broker.CpuTime - cpuBefore).TotalMilliseconds / result.Answered,
            MachineCpuMsPerDecision = (MachineCpu.BusyMilliseconds() - machineBefore) / result.Answered,
            DaemonCatchUp = catchUp,
            WalFlushesPerDecision = (double)flushes / result.Answered,
        };
        Console.WriteLine($"broker {_label} clients {clients,2}: {result.PerSecond,8:F0} decisions/s, p50 {result.P50Ms:F1} ms, p99 {result.P99Ms:F1} ms, "
            + $"CPU ms/decision broker {result.CpuMsPerDecision:F2} machine {result.MachineCpuMsPerDecision:F2}, WAL flushes/decision {result.WalFlushesPerDecision:F2}, daemon caught up {catchUp.TotalSeconds:F1} s after, errors {result.Errors}");
        return result;
    }

    /// <summary>
    /// WAL flushes of the whole server so far (pg_stat_wal): what group commit saves is flushes, so their
    /// count per decision shows whether batching did its part even where a flush is too cheap to matter.
    /// </summary>
    private async Task<long> WalFlushesAsync(CancellationToken ct) =>
        long.Parse((await _db.PsqlAsync("select wal_sync from pg_stat_wal", ct)).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>One decision before the load, to say what the load decides (an allow also signs a grant).</summary>
    private static async Task<string> ProbeAsync(HttpClient http, AuthenticationHeaderValue auth, World world, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/training-jobs/{world.JobId}/access-requests")
        {
            Content = new StringContent($$"""{"datasets":[{"datasetId":"{{world.Datasets[0]}}","version":1}]}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = auth;
        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"probe decision failed: {(int)response.StatusCode} {text}");
        }
        var decision = JsonNode.Parse(text)!["decisions"]![0]!;
        return decision["allowed"]!.GetValue<bool>()
            ? "allowed, with a signed grant"
            : "denied (" + string.Join(", ", decision["reasons"]!.AsArray().Select(r => r!["rule"]!.GetValue<string>())) + ")";
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _broker.DisposeAsync();
        await _db.PsqlAsync($"drop schema if exists {_schema} cascade", CancellationToken.None);
        await _feeds.DeleteAsync();
    }
}
