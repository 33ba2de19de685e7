using System.Diagnostics;
using BalticAI.Sovereignty.Cli.Seeding;
using BalticAI.Sovereignty.ProvenanceBenchmarks;
using BalticAI.Sovereignty.Tests.Shared;

// dotnet run -c Release -- [sizes...] [--samples N] [--writers N] [--route PATH]...
//   sizes: ledger sizes in events (default 100000 1000000); each gets a schema bench_provenance_v2_{size},
//   seeded once with `balticai seed`'s plan (with lineage: runs, model versions, fine-tunes) and reused by
//   later runs. Besides the ledger pages it times dataset lineage and model provenance, as the EU AI
//   Office (Auditor) and as a Lithuanian regulator.
//   --route: more GET routes to time, with {dataset}, {job} and {model} filled from the seeded ledger,
//   e.g. --route "/ledger/events?model={model}".
//   --writers: seeding transactions in flight (default 4).
var sizes = new List<long>();
var routes = new List<string>();
var samples = 100;
var writers = 4;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--samples":
            samples = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
            break;
        case "--writers":
            writers = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
            break;
        case "--route":
            routes.Add(args[++i]);
            break;
        default:
            sizes.Add(long.Parse(args[i], System.Globalization.CultureInfo.InvariantCulture));
            break;
    }
}
if (sizes.Count == 0)
{
    sizes.AddRange([100_000, 1_000_000]);
}
var repo = FindRepository();
var connection = Environment.GetEnvironmentVariable("BALTICAI_BENCH_POSTGRES") ?? "Host=127.0.0.1;Port=5432;Database=balticai;Username=balticai;Password=balticai";
var artifacts = Path.Combine(repo, "artifacts", "benchmarks");
Directory.CreateDirectory(artifacts);

var report = new List<string>
{
    $"Provenance query benchmark, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average at start {LoadAverage()}",
    "",
    "| events | query | median ms | p95 ms | items | seeding | index + tree catch-up |",
    "|---:|---|---:|---:|---:|---|---|",
};
foreach (var size in sizes)
{
    // v2: the seeder writes lineage and the documents the queries read; older schemas have neither.
    var schema = $"bench_provenance_v2_{size}";
    var database = new BenchDatabase(connection, schema);
    var seeding = "reused";
    if (await database.CountSeededAsync() != size)
    {
        await database.DropAsync();
        using var store = SeedCommand.CreateStore(connection, schema);
        var clock = Stopwatch.StartNew();
        await SeedCommand.SeedAsync(store, new SeedPlan(10_000, 2_000, 2026), size, 2_000, writers, feeds: false, _ => { }, CancellationToken.None);
        seeding = $"{size / clock.Elapsed.TotalSeconds:F0} events/s ({writers} writers)";
        Console.WriteLine($"{size}: seeded in {clock.Elapsed.TotalSeconds:F0} s ({seeding})");
    }
    // Feeds off: seeded history is not news for the regulators' queues.
    var settings = new Dictionary<string, string> { ["Marten__Schema"] = schema, ["Feeds__Enabled"] = "false", ["Logging__LogLevel__Default"] = "Warning" };
    await using var broker = await BrokerProcess.StartAsync(repo, settings, Path.Combine(artifacts, $"{schema}.log"), TimeSpan.FromSeconds(180), CancellationToken.None);
    var catchUp = await database.WaitForIndexAndTreeAsync(TimeSpan.FromMinutes(40));
    Console.WriteLine($"{size}: index and tree caught up after {catchUp.TotalSeconds:F0} s");
    var world = await database.SampleAsync();
    Console.WriteLine($"{size}: lineage of {world.LineageDataset} (LT: {world.LineageDatasetLt}), provenance of {world.Provenance} (LT: {world.ProvenanceLt})");
    var timer = new QueryTimer(broker.BaseAddress, repo, samples);
    var queries = new List<(string Name, string Path, string Tenant, string Role, string Items)>
    {
        ("country + type (auditor)", "/ledger/events?country=EE&type=access_decided", QueryTimer.EuAiOffice, "Auditor", "items"),
        ("type, own country (regulator LT)", "/ledger/events?type=grant_redeemed", QueryTimer.LtVdai, "Regulator", "items"),
        ("dataset (auditor)", $"/ledger/events?dataset={world.Dataset}", QueryTimer.EuAiOffice, "Auditor", "items"),
        ("job + type (auditor)", $"/ledger/events?job={world.Job}&type=grant_issued", QueryTimer.EuAiOffice, "Auditor", "items"),
        ("dataset, 1000 per page (auditor)", $"/ledger/events?dataset={world.Dataset}&limit=1000", QueryTimer.EuAiOffice, "Auditor", "items"),
        ("dataset lineage (auditor; items = model versions)", $"/datasets/{world.LineageDataset}/lineage", QueryTimer.EuAiOffice, "Auditor", "modelVersions"),
        ("dataset lineage (regulator LT; items = model versions)", $"/datasets/{world.LineageDatasetLt}/lineage", QueryTimer.LtVdai, "Regulator", "modelVersions"),
        ("model provenance (auditor; items = dataset versions)", world.Provenance.ProvenancePath, QueryTimer.EuAiOffice, "Auditor", "datasetVersions"),
        ("model provenance (regulator LT; items = dataset versions)", world.ProvenanceLt.ProvenancePath, QueryTimer.LtVdai, "Regulator", "datasetVersions"),
    };
    queries.AddRange(routes.Select(r => (r, world.Fill(r), QueryTimer.EuAiOffice, "Auditor", "items")));
    foreach (var (name, path, tenant, role, itemsProperty) in queries)
    {
        var result = await timer.MeasureAsync(path, tenant, role, itemsProperty);
        Console.WriteLine($"{size}: {name}: median {result.Median:F1} ms, p95 {result.P95:F1} ms, {result.Items} items");
        report.Add($"| {size:N0} | {name} | {result.Median:F1} | {result.P95:F1} | {result.Items} | {seeding} | {catchUp.TotalSeconds:F0} s |");
    }
}
var reportPath = Path.Combine(artifacts, "provenance.md");
await File.WriteAllLinesAsync(reportPath, report);
Console.WriteLine();
Console.WriteLine(string.Join(Environment.NewLine, report));
Console.WriteLine($"Written to {reportPath}");

static string FindRepository()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "BalticAI.Sovereignty.sln")))
        {
            return dir.FullName;
        }
    }
    throw new InvalidOperationException("run from inside the repository");
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
