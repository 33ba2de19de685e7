using System.CommandLine;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.LoadTests;

var duration = new Option<int>("--duration") { Description = "Measured seconds per point", DefaultValueFactory = _ => 15 };
var warmUp = new Option<int>("--warm-up") { Description = "Unmeasured seconds before each point", DefaultValueFactory = _ => 3 };
var clients = new Option<int[]>("--clients") { Description = "Concurrent clients per point", DefaultValueFactory = _ => [1, 8, 32], AllowMultipleArgumentsPerToken = true };
var datasets = new Option<int>("--datasets") { Description = "Dataset versions the requests cycle through", DefaultValueFactory = _ => 32 };
var output = new Option<string?>("--output") { Description = "Markdown report (default: artifacts/load/decisions.md under the repository)" };
var repoOption = new Option<string?>("--repo") { Description = "Repository root (default: found from the working directory)" };
var pgPort = new Option<int>("--pg-port") { Description = "PostgreSQL port on 127.0.0.1", DefaultValueFactory = _ => 5432 };
var skipPgBench = new Option<bool>("--skip-pgbench") { Description = "Measure the broker only (quick runs while tuning)" };

var root = new RootCommand("Decision load test: broker with and without group commit against pgbench, all on 127.0.0.1")
{
    duration, warmUp, clients, datasets, output, repoOption, pgPort, skipPgBench,
};
root.SetAction(async (parse, ct) =>
{
    var repo = parse.GetValue(repoOption) ?? FindRepository();
    var options = new LoadOptions(
        TimeSpan.FromSeconds(parse.GetValue(warmUp)), TimeSpan.FromSeconds(parse.GetValue(duration)),
        parse.GetValue(clients)!, parse.GetValue(datasets), !parse.GetValue(skipPgBench));
    var reportPath = parse.GetValue(output) ?? Path.Combine(repo, "artifacts", "load", "decisions.md");
    var db = new Database("127.0.0.1", parse.GetValue(pgPort), "balticai", "balticai", "balticai");
    // Bounded even if something hangs: every point has a known length; seeding and starts get generous slack.
    using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
    bounded.CancelAfter(options.PointLength * options.Clients.Length * 3 + TimeSpan.FromMinutes(10));
    var report = await LoadTest.RunAsync(repo, db, options, Path.GetDirectoryName(Path.GetFullPath(reportPath))!, bounded.Token);
    var markdown = report.ToMarkdown();
    await File.WriteAllTextAsync(reportPath, markdown, CancellationToken.None);
    Console.WriteLine();
    Console.WriteLine(markdown);
    Console.WriteLine($"Written to {reportPath}");
    return 0;
});
return await root.Parse(args).InvokeAsync();

static string FindRepository()
{
    for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "BalticAI.Sovereignty.sln")))
        {
            return dir.FullName;
        }
    }
    throw new InvalidOperationException("run from inside the repository or pass --repo");
}

namespace BalticAI.Sovereignty.LoadTests
{
    public sealed record LoadOptions(TimeSpan WarmUp, TimeSpan Duration, int[] Clients, int Datasets, bool PgBench)
    {
        public TimeSpan PointLength => WarmUp + Duration;
    }

    /// <summary>pgbench, then the broker with group commit, then without; each broker in its own fresh schema, dropped afterwards.</summary>
    public static class LoadTest
    {
        public static async Task<Report> RunAsync(string repo, Database db, LoadOptions options, string workDirectory, CancellationToken ct)
        {
            Directory.CreateDirectory(workDirectory);
            var stamp = DateTime.UtcNow.ToString("yyyyMMddHHmmss");
            var table = $"public.load_pgbench_{stamp}";
            var pg = new List<PgBench.Result>();
            await PgBench.PrepareAsync(db, table, ct);
            try
            {
                foreach (var c in options.PgBench ? options.Clients : [])
                {
                    var result = await PgBench.RunAsync(db, table, workDirectory, c, options.Duration, ct);
                    Console.WriteLine($"pgbench INSERT  clients {c,2}: {result.Tps,8:F0} tps, avg {result.LatencyMs:F2} ms");
                    pg.Add(result);
                }
            }
            finally
            {
                await db.PsqlAsync($"drop table if exists {table}", CancellationToken.None);
            }
            var (batched, setup) = await RunBrokerAsync(repo, db, options, workDirectory, $"load_{stamp}_batched", groupCommit: true, ct);
            var (unbatched, _) = await RunBrokerAsync(repo, db, options, workDirectory, $"load_{stamp}_unbatched", groupCommit: false, ct);
            var settings = (await db.PsqlAsync("select string_agg(name || '=' || setting, ', ' order by name) from pg_settings where name in ('synchronous_commit','fsync','wal_sync_method','commit_delay','max_connections','shared_buffers')", ct)).Trim();
            return new Report(batched, unbatched, pg,
                $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {options.WarmUp.TotalSeconds:F0} s warm-up + {options.Duration.TotalSeconds:F0} s per point, {options.Datasets} datasets, one dataset per request. {setup} PostgreSQL: {settings}.");
        }

        private static async Task<(List<LoopResult>, string)> RunBrokerAsync(string repo, Database db, LoadOptions options, string workDirectory,
            string schema, bool groupCommit, CancellationToken ct)
        {
            var results = new List<LoopResult>();
            try
            {
                await using var broker = await BrokerProcess.StartAsync(repo, schema, groupCommit, Path.Combine(workDirectory, $"{schema}.log"), ct);
                using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
                {
                    BaseAddress = broker.BaseAddress,
                    Timeout = TimeSpan.FromSeconds(30),
                };
                var tenants = Tenants.ForRepository(repo);
                var world = await World.SeedAsync(http, tenants, options.Datasets, ct);
                var auth = tenants.Bearer(Tenants.PlCyfronet, "TrainingSystem");
                var outcome = await ProbeAsync(http, auth, world, ct);
                // Unmeasured: lets tiered JIT settle on optimised code before the first point.
                await ClosedLoop.RunAsync(http, auth, world, options.Clients.Max(), options.WarmUp * 3, TimeSpan.FromSeconds(1), ct);
                // The process id lets a profiler (dotnet-trace, dotnet-counters) attach to the broker under load.
                Console.WriteLine($"broker {(groupCommit ? "batched" : "unbatched")} seeded, process {broker.ProcessId}, schema {schema}");
                foreach (var c in options.Clients)
                {
                    var cpuBefore = broker.CpuTime;
                    var result = await ClosedLoop.RunAsync(http, auth, world, c, options.WarmUp, options.Duration, ct);
                    result = result with { CpuMsPerDecision = (broker.CpuTime - cpuBefore).TotalMilliseconds / result.Answered };
                    Console.WriteLine($"broker {(groupCommit ? "batched  " : "unbatched")} clients {c,2}: {result.PerSecond,8:F0} decisions/s, p50 {result.P50Ms:F1} ms, p99 {result.P99Ms:F1} ms, broker CPU {result.CpuMsPerDecision:F1} ms/decision, errors {result.Errors}");
                    results.Add(result);
                }
                return (results, $"Policy: {world.Policy}; each decision is {outcome}.");
            }
            finally
            {
                await db.PsqlAsync($"drop schema if exists {schema} cascade", CancellationToken.None);
            }
        }

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
    }
}
