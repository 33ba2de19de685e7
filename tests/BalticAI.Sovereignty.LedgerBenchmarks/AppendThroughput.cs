using System.Diagnostics;
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
/// shape of a decision) for a fixed time, once without and once with the transparency log running in
/// the same process. Not a BenchmarkDotNet benchmark: it measures sustained throughput, which BDN's
/// per-invocation model does not fit. `dotnet run -c Release -- throughput [seconds] [writers]`.
/// </summary>
public static class AppendThroughput
{
    private static readonly string ConnectionString =
        Environment.GetEnvironmentVariable("BALTICAI_BENCH_POSTGRES") ?? "Host=127.0.0.1;Port=5432;Database=balticai;Username=balticai;Password=balticai";

    public static async Task RunAsync(int seconds, int writers)
    {
        var results = new List<string>();
        // Alternate the two set-ups so drifting background load hits both alike.
        foreach (var withTree in new[] { false, true, false, true, false, true })
        {
            var (rate, catchUp, cpu) = await RunOnceAsync(withTree, seconds, writers);
            results.Add($"{(withTree ? "with tree   " : "without tree")}: {rate,8:F0} events/s, broker CPU {cpu,6:F0} us/event"
                + (withTree ? $", tree caught up {catchUp.TotalMilliseconds:F0} ms after the last commit" : ""));
            Console.WriteLine(results[^1]);
        }
        Console.WriteLine(string.Join(Environment.NewLine, results));
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
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.AddSovereigntyPersistence().AddSovereigntySigning();
        if (withTree)
        {
            // The ledger's read recorder shares the decisions' group-commit writer; nothing reads here.
            builder.Services.AddSingleton<BalticAI.Sovereignty.Api.Decisions.Recording.GroupCommitWriter>();
            builder.AddTransparencyLog();
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
        var catchUp = TimeSpan.Zero;
        if (withTree)
        {
            var waited = Stopwatch.StartNew();
            var ledger = app.Services.GetRequiredService<LedgerStore>();
            while (await ledger.ReadSizeAsync(CancellationToken.None) < appended && waited.Elapsed < TimeSpan.FromMinutes(2))
            {
                await Task.Delay(20);
            }
            catchUp = waited.Elapsed;
        }
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMicroseconds / appended;
        await app.StopAsync();
        return (rate, catchUp, cpu);
    }
}
