using System.Diagnostics;
using BalticAI.Sovereignty.Api.Infrastructure.Hardening;
using BalticAI.Sovereignty.Api.Infrastructure.Persistence;
using BalticAI.Sovereignty.Api.Infrastructure.Signing;
using BalticAI.Sovereignty.Api.Ledger;
using BalticAI.Sovereignty.Api.Ledger.Tree;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BalticAI.Sovereignty.LedgerBenchmarks;

public sealed record ThroughputEvent(Guid DecisionId, string Outcome, string PolicyVersion, string[] Reasons);

/// <summary>
/// Tree maintenance cost on the write path: concurrent writers append one event per transaction (the
/// shape of a decision) for a fixed time, once with the ledger event index only and once with the index
/// and the Merkle tree (tree builder and checkpointer), in the same process. Both sides run the async
/// daemon with the index subscription, so the difference is the tree's alone. Not a BenchmarkDotNet
/// benchmark: it measures sustained throughput, which BDN's per-invocation model does not fit.
/// `dotnet run -c Release -- throughput [seconds] [writers] [pairs]`.
/// </summary>
public static class AppendThroughput
{
    private static readonly string ConnectionString =
        Environment.GetEnvironmentVariable("BALTICAI_BENCH_POSTGRES") ?? "Host=127.0.0.1;Port=5432;Database=balticai;Username=balticai;Password=balticai";

    public static async Task RunAsync(int seconds, int writers, int pairs)
    {
        var results = new List<string>();
        var ratios = new List<double>();
        var cpuRatios = new List<double>();
        // Unmeasured: the first application in the process pays for JIT and connection warm-up.
        await RunOnceAsync(false, seconds, writers);
        for (var pair = 0; pair < pairs; pair++)
        {
            // ABBA order: drifting background load and warm-up favour neither set-up.
            var treeFirst = pair % 2 == 1;
            var first = await RunOnceAsync(treeFirst, seconds, writers);
            var second = await RunOnceAsync(!treeFirst, seconds, writers);
            var (plainRate, _, plainCpu) = treeFirst ? second : first;
            var (treeRate, catchUp, treeCpu) = treeFirst ? first : second;
            results.Add($"index only     : {plainRate,8:F0} events/s, broker CPU {plainCpu,6:F0} us/event");
            results.Add($"index and tree : {treeRate,8:F0} events/s, broker CPU {treeCpu,6:F0} us/event, tree caught up {catchUp.TotalMilliseconds:F0} ms after the last commit");
            Console.WriteLine(string.Join(Environment.NewLine, results.TakeLast(2)));
            ratios.Add(treeRate / plainRate);
            cpuRatios.Add(treeCpu / plainCpu);
        }
        results.Add($"throughput with the tree / without, per pair: {string.Join(", ", ratios.Select(r => r.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)))}; "
            + $"median {Median(ratios):F3} (cost {(1 - Median(ratios)) * 100:F1}%); CPU per event median ratio {Median(cpuRatios):F3}");
        Console.WriteLine(string.Join(Environment.NewLine, results));
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static async Task<(double Rate, TimeSpan CatchUp, double CpuMicrosPerEvent)> RunOnceAsync(bool withTree, int seconds, int writers)
    {
        var schema = withTree ? "ledger_tp_tree" : "ledger_tp_plain";
        await using (var dataSource = NpgsqlDataSource.Create(ConnectionString))
        await using (var drop = dataSource.CreateCommand($"drop schema if exists {schema} cascade"))
        {
            await drop.ExecuteNonQueryAsync();
        }
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = ConnectionString,
            ["Marten:Schema"] = schema,
            ["Marten:ApplySchemaOnStartup"] = "true",
            ["Signing:KeyDirectory"] = Path.Combine(Path.GetTempPath(), "balticai-ledger-bench-keys"),
            // The start-up checks ask for a pseudonym key otherwise; nothing here authenticates anyone.
            ["Identity:Mode"] = "Development",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        // Composed as the broker is: the start-up checks first, then only what they passed.
        builder.AddSovereigntyHardening().AddSovereigntyPersistence().AddSovereigntySigning();
        // The ledger's read recorder shares the decisions' group-commit writer (which counts its batches); nothing reads here.
        builder.Services.AddSingleton<BalticAI.Sovereignty.Api.Decisions.Recording.GroupCommitWriter>();
        builder.Services.AddSingleton<BalticAI.Sovereignty.Api.Infrastructure.Telemetry.BrokerTelemetry>();
        if (withTree)
        {
            builder.AddTransparencyLog();
        }
        else
        {
            builder.AddLedgerEventIndex();
        }
        await using var app = builder.Build();
        await app.StartAsync();
        var store = app.Services.GetRequiredService<IDocumentStore>();
        long appended = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var clock = Stopwatch.StartNew();
        // Process CPU per event (writers + daemon + tree builder) is steadier than throughput on a shared machine.
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(async _ =>
        {
            while (!stop.IsCancellationRequested)
            {
                await using var session = store.LightweightSession();
                session.Events.StartStream(Guid.NewGuid(), new ThroughputEvent(Guid.NewGuid(), "allow", "policies@2026.11.3", ["documented-origin"]));
                await session.SaveChangesAsync();
                Interlocked.Increment(ref appended);
            }
        }));
        var rate = appended / clock.Elapsed.TotalSeconds;
        // Both sides are charged for their daemon's catch-up: CPU is read once the index (and the tree) hold every event.
        var waited = Stopwatch.StartNew();
        var ledger = app.Services.GetRequiredService<LedgerStore>();
        while (await CoveredAsync(ledger, withTree) < appended && waited.Elapsed < TimeSpan.FromMinutes(2))
        {
            await Task.Delay(20);
        }
        var catchUp = waited.Elapsed;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMicroseconds / appended;
        await app.StopAsync();
        return (rate, catchUp, cpu);
    }

    private static async Task<long> CoveredAsync(LedgerStore ledger, bool withTree)
    {
        await using var count = ledger.DataSource.CreateCommand($"select count(*) from {ledger.Table(BalticAI.Sovereignty.Api.Ledger.QueryingEvents.LedgerEventIndexSchema.Table)}");
        var indexed = (long)(await count.ExecuteScalarAsync())!;
        return withTree ? Math.Min(indexed, await ledger.ReadSizeAsync(CancellationToken.None)) : indexed;
    }
}
