using System.CommandLine;
using BalticAI.Sovereignty.LoadTests;

var duration = new Option<int>("--duration") { Description = "Measured seconds per point", DefaultValueFactory = _ => 15 };
var warmUp = new Option<int>("--warm-up") { Description = "Unmeasured seconds before each point", DefaultValueFactory = _ => 3 };
var jitWarmUp = new Option<int>("--jit-warm-up") { Description = "Unmeasured seconds at the highest concurrency after seeding each broker, so tiered JIT has settled before the first point", DefaultValueFactory = _ => 60 };
var brokerSettings = new Option<string[]>("--broker-setting") { Description = "KEY=VALUE configuration for both brokers (environment-variable form, e.g. Feeds__DaemonMode=...), for A/B runs; repeatable", AllowMultipleArgumentsPerToken = true };
var clients = new Option<int[]>("--clients") { Description = "Concurrent clients per point", DefaultValueFactory = _ => [1, 8, 32], AllowMultipleArgumentsPerToken = true };
var datasets = new Option<int>("--datasets") { Description = "Dataset versions the requests cycle through", DefaultValueFactory = _ => 32 };
var output = new Option<string?>("--output") { Description = "Markdown report (default: artifacts/load/decisions.md under the repository)" };
var repoOption = new Option<string?>("--repo") { Description = "Repository root (default: found from the working directory)" };
var pgPort = new Option<int>("--pg-port") { Description = "PostgreSQL port on 127.0.0.1", DefaultValueFactory = _ => 5432 };
var postgresTls = new Option<bool>("--postgres-tls") { Description = "Broker and pgbench reach PostgreSQL over TLS (default: plain TCP on loopback for both)" };
var skipPgBench = new Option<bool>("--skip-pgbench") { Description = "Measure the broker only (quick runs while tuning)" };
var skipUnbatched = new Option<bool>("--skip-unbatched") { Description = "Start and measure the group-commit broker only (quick A/B runs while tuning; the batching ratio is then not measured)" };
var rounds = new Option<int>("--rounds") { Description = "Times the whole series of points is run (interleaved); the report gives each metric's median and the range", DefaultValueFactory = _ => 1 };
var flood = new Option<bool>("--flood") { Description = "Abuse-limit scenario instead: normal callers alone, then beside one flooding caller" };
var floodRate = new Option<double>("--flood-rate") { Description = "Flooder's requests per second over all its connections (0: closed loop, as fast as answers come)", DefaultValueFactory = _ => 1000 };
var idempotencyKeys = new Option<bool>("--idempotency-keys") { Description = "Every decision request carries a fresh Idempotency-Key, as a training system that retries safely sends it" };
var setupNote = new Option<string?>("--setup-note") { Description = "Sentence added to the report's header about the setup (scripts/load-test.sh --flush-delay-us describes its slowed PostgreSQL here)" };
var floodSeconds = new Option<int>("--flood-seconds") { Description = "Measured seconds per flood phase (two phases)", DefaultValueFactory = _ => 9 };

var root = new RootCommand("Decision load test: broker with and without group commit against pgbench, all on 127.0.0.1")
{
    duration, warmUp, jitWarmUp, brokerSettings, clients, datasets, output, repoOption, pgPort, skipPgBench, skipUnbatched, postgresTls, rounds, idempotencyKeys, flood, floodSeconds, floodRate, setupNote,
};
root.SetAction(async (parse, ct) =>
{
    var repo = parse.GetValue(repoOption) ?? FindRepository();
    if (parse.GetValue(flood))
    {
        var floodPath = parse.GetValue(output) ?? Path.Combine(repo, "artifacts", "load", "flood.md");
        var floodDb = new Database("127.0.0.1", parse.GetValue(pgPort), "balticai", "balticai", "balticai", parse.GetValue(postgresTls));
        var floodMarkdown = await FloodRun.RunAsync(repo, floodDb, TimeSpan.FromSeconds(parse.GetValue(floodSeconds)), parse.GetValue(floodRate), Path.GetDirectoryName(Path.GetFullPath(floodPath))!, ct);
        await File.WriteAllTextAsync(floodPath, floodMarkdown, CancellationToken.None);
        Console.WriteLine();
        Console.WriteLine(floodMarkdown);
        Console.WriteLine($"Written to {floodPath}");
        return 0;
    }
    var options = new LoadOptions(
        TimeSpan.FromSeconds(parse.GetValue(warmUp)), TimeSpan.FromSeconds(parse.GetValue(duration)),
        parse.GetValue(clients)!, parse.GetValue(datasets), !parse.GetValue(skipPgBench))
    {
        JitWarmUp = TimeSpan.FromSeconds(parse.GetValue(jitWarmUp)),
        Unbatched = !parse.GetValue(skipUnbatched),
        Rounds = Math.Max(1, parse.GetValue(rounds)),
        IdempotencyKeys = parse.GetValue(idempotencyKeys),
        SetupNote = parse.GetValue(setupNote),
        BrokerSettings = (parse.GetValue(brokerSettings) ?? []).Select(s => s.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv.Length == 2 ? kv[1] : ""),
    };
    var reportPath = parse.GetValue(output) ?? Path.Combine(repo, "artifacts", "load", "decisions.md");
    var db = new Database("127.0.0.1", parse.GetValue(pgPort), "balticai", "balticai", "balticai", parse.GetValue(postgresTls));
    // Bounded even if something hangs: every point has a known length; seeding and starts get generous slack.
    using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
    bounded.CancelAfter((options.PointLength * 3 + options.Duration * 8 + Database.PoolDrain) * options.Clients.Length * options.Rounds + options.JitWarmUp * 2 + TimeSpan.FromMinutes(10));
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
    /// <summary>Starts a broker with small budgets, runs both flood phases and describes the set-up; bounded to a few minutes.</summary>
    public static class FloodRun
    {
        public static async Task<string> RunAsync(string repo, Database db, TimeSpan phase, double floodRate, string workDirectory, CancellationToken ct)
        {
            Directory.CreateDirectory(workDirectory);
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
            bounded.CancelAfter(phase * 2 + TimeSpan.FromMinutes(5));
            var seeding = new LoadOptions(TimeSpan.FromSeconds(1), phase, [8], 8, PgBench: false);
            var options = new FloodOptions(phase, NormalCallers: 4, NormalPerSecond: 4, FloodConnections: 16, FloodPerSecond: floodRate);
            var schema = $"load_{DateTime.UtcNow:yyyyMMddHHmmss}_flood";
            await using var broker = await SeededBroker.StartAsync(repo, db, seeding, workDirectory, schema, groupCommit: true, FloodTest.Budgets, bounded.Token);
            var (baseline, flooded, flooder) = await FloodTest.RunAsync(broker, Tenants.ForRepository(repo), options, bounded.Token);
            var setup = $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at the end. "
                + $"Write budget per caller (organisation + client application): bursts of {FloodTest.WriteBurst}, {FloodTest.WritesPerSecond}/s. "
                + $"{options.NormalCallers} normal callers (pl-cyfronet, client applications cyfronet-trainer-1..{options.NormalCallers}), each {options.NormalPerSecond} decisions/s at a steady pace; "
                + $"the flooder (pl-cyfronet, cyfronet-runaway-pipeline) sends the same decision requests over {options.FloodConnections} connections {(floodRate > 0 ? $"at {floodRate:F0}/s" : "in a closed loop")} and ignores Retry-After. "
                + $"{FloodOptions.LeadIn.TotalSeconds:F0} s lead-in + {phase.TotalSeconds:F0} s measured per phase. {broker.Setup}";
            return FloodReport.ToMarkdown(baseline, flooded, flooder, options, setup);
        }
    }

    public sealed record LoadOptions(TimeSpan WarmUp, TimeSpan Duration, int[] Clients, int Datasets, bool PgBench)
    {
        public TimeSpan PointLength => WarmUp + Duration;

        public TimeSpan JitWarmUp { get; init; } = WarmUp * 3;

        /// <summary>Also start and measure the broker without group commit (the batching ratio needs it).</summary>
        public bool Unbatched { get; init; } = true;

        public IReadOnlyDictionary<string, string> BrokerSettings { get; init; } = new Dictionary<string, string>();

        /// <summary>Times the whole series of points is run; the report gives medians.</summary>
        public int Rounds { get; init; } = 1;

        /// <summary>A fresh Idempotency-Key on every decision request (the broker then keeps each answer).</summary>
        public bool IdempotencyKeys { get; init; }

        public string? SetupNote { get; init; }
    }

    /// <summary>
    /// Both brokers (with and without group commit, each in its own fresh schema) are started and seeded
    /// first; then, per concurrency, pgbench, the batched broker and the unbatched one run back to back, so a
    /// change in a shared machine's load falls on all three rather than on one whole series.
    /// </summary>
    public static class LoadTest
    {
        public static async Task<Report> RunAsync(string repo, Database db, LoadOptions options, string workDirectory, CancellationToken ct)
        {
            Directory.CreateDirectory(workDirectory);
            var stamp = DateTime.UtcNow.ToString("yyyyMMddHHmmss");
            var table = $"public.load_pgbench_{stamp}";
            var pg = new List<PgBench.Result>();
            var batchedResults = new List<LoopResult>();
            var unbatchedResults = new List<LoopResult>();
            await PgBench.PrepareAsync(db, table, ct);
            try
            {
                var settings = SeededBroker.Unlimited.Concat(options.BrokerSettings).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Last().Value);
                await using var batched = await SeededBroker.StartAsync(repo, db, options, workDirectory, $"load_{stamp}_batched", groupCommit: true, settings, ct);
                await using var unbatched = options.Unbatched
                    ? await SeededBroker.StartAsync(repo, db, options, workDirectory, $"load_{stamp}_unbatched", groupCommit: false, settings, ct)
                    : null;
                for (var round = 1; round <= options.Rounds; round++)
                {
                    if (options.Rounds > 1)
                    {
                        Console.WriteLine($"round {round} of {options.Rounds}");
                    }
                    await MeasureRoundAsync(db, table, workDirectory, options, batched, unbatched, pg, batchedResults, unbatchedResults, ct);
                }
                var pgSettings = (await db.PsqlAsync("select string_agg(name || '=' || setting, ', ' order by name) from pg_settings where name in ('synchronous_commit','fsync','wal_sync_method','commit_delay','max_connections','shared_buffers')", ct)).Trim();
                return new Report(batchedResults, unbatchedResults, pg,
                    $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {options.JitWarmUp.TotalSeconds:F0} s JIT warm-up per broker, then {options.WarmUp.TotalSeconds:F0} s warm-up + {options.Duration.TotalSeconds:F0} s per point, {options.Rounds} round(s) of every point (each figure the median over the rounds, with the range), each point ending when the broker's daemon has caught up, {options.Datasets} datasets, one dataset per request, points interleaved. {batched.Setup}"
                    + (options.BrokerSettings.Count == 0 ? "" : $" Broker settings: {string.Join(", ", options.BrokerSettings.Select(kv => $"{kv.Key}={kv.Value}"))}.")
                    + $" PostgreSQL: {pgSettings}."
                    + (options.SetupNote is null ? "" : $" {options.SetupNote}"));
            }
            finally
            {
                await db.PsqlAsync($"drop table if exists {table}", CancellationToken.None);
            }
        }

        private static async Task MeasureRoundAsync(Database db, string table, string workDirectory, LoadOptions options, SeededBroker batched, SeededBroker? unbatched,
            List<PgBench.Result> pg, List<LoopResult> batchedResults, List<LoopResult> unbatchedResults, CancellationToken ct)
        {
            foreach (var c in options.Clients)
            {
                if (options.PgBench)
                {
                    await Task.Delay(Database.PoolDrain, ct);
                    var result = await PgBench.RunAsync(db, table, workDirectory, c, options.Duration, ct);
                    Console.WriteLine($"pgbench INSERT   clients {c,2}: {result.Tps,8:F0} tps, avg {result.LatencyMs:F2} ms");
                    pg.Add(result);
                }
                batchedResults.Add(await batched.MeasureAsync(c, options, ct));
                if (unbatched is not null)
                {
                    unbatchedResults.Add(await unbatched.MeasureAsync(c, options, ct));
                }
            }
        }
    }
}
