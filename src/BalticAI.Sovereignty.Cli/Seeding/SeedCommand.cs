using System.CommandLine;
using System.Diagnostics;
using JasperFx;
using JasperFx.Events;
using Marten;
using Spectre.Console;

namespace BalticAI.Sovereignty.Cli.Seeding;

/// <summary>`balticai seed`: writes a realistic ledger through Marten in large batches.</summary>
public static class SeedCommand
{
    /// <summary>Header the regulator feed subscription checks: events carrying it are not forwarded.</summary>
    public const string FeedHeader = "feed";

    public static Command Create()
    {
        var connection = new Option<string>("--connection") { Description = "PostgreSQL connection string", DefaultValueFactory = _ => "Host=127.0.0.1;Port=5432;Database=balticai;Username=balticai;Password=balticai" };
        var schema = new Option<string>("--schema") { Description = "Marten schema", DefaultValueFactory = _ => "balticai" };
        var events = new Option<long>("--events") { Description = "Events to write", DefaultValueFactory = _ => 1_000_000 };
        var datasets = new Option<int>("--datasets") { Description = "Datasets (two events each)", DefaultValueFactory = _ => 10_000 };
        var jobs = new Option<int>("--jobs") { Description = "Training jobs", DefaultValueFactory = _ => 2_000 };
        var batch = new Option<int>("--batch") { Description = "Events per transaction", DefaultValueFactory = _ => 5_000 };
        var feeds = new Option<bool>("--feeds") { Description = "Let regulator feeds forward the seeded events (off by default: seeded history is not news)" };
        var randomSeed = new Option<int>("--seed") { Description = "Random seed", DefaultValueFactory = _ => 2026 };

        var command = new Command("seed", "Write a realistic ledger (datasets, jobs, decisions, lineage) for tests and benchmarks")
        {
            connection, schema, events, datasets, jobs, batch, feeds, randomSeed,
        };
        command.SetAction(async (parse, ct) =>
        {
            using var store = DocumentStore.For(options =>
            {
                options.Connection(parse.GetValue(connection)!);
                options.DatabaseSchemaName = parse.GetValue(schema)!;
                options.Events.DatabaseSchemaName = parse.GetValue(schema)!;
                options.Events.StreamIdentity = StreamIdentity.AsGuid;
                options.Events.MetadataConfig.HeadersEnabled = true;
                options.Events.MetadataConfig.CorrelationIdEnabled = true;
                options.Events.MetadataConfig.CausationIdEnabled = true;
                options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
            });
            var total = parse.GetValue(events);
            var plan = new SeedPlan(parse.GetValue(datasets), parse.GetValue(jobs), parse.GetValue(randomSeed));
            var elapsed = Stopwatch.StartNew();
            await AnsiConsole.Progress().StartAsync(async context =>
            {
                var task = context.AddTask("seeding", maxValue: total);
                foreach (var chunk in plan.Events(total).Chunk(parse.GetValue(batch)))
                {
                    await using var session = store.LightweightSession();
                    if (!parse.GetValue(feeds))
                    {
                        session.SetHeader(FeedHeader, "off");
                    }
                    foreach (var stream in chunk.GroupBy(e => e.Stream))
                    {
                        session.Events.Append(stream.Key, stream.Select(e => e.Event).ToArray());
                    }
                    await session.SaveChangesAsync(ct);
                    task.Increment(chunk.Length);
                }
            });
            Console.WriteLine($"seeded {total} events in {elapsed.Elapsed.TotalSeconds:F1} s ({total / elapsed.Elapsed.TotalSeconds:F0} events/s)");
            return 0;
        });
        return command;
    }
}
