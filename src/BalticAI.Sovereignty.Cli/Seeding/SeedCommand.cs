using System.CommandLine;
using System.Diagnostics;
using JasperFx;
using Marten;
using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Decisions;
using BalticAI.Sovereignty.Api.Infrastructure.Persistence;
using BalticAI.Sovereignty.Api.Ledger;
using BalticAI.Sovereignty.Api.Provenance;
using BalticAI.Sovereignty.Api.Sites;
using BalticAI.Sovereignty.Api.TrainingJobs;
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
        var datasets = new Option<int>("--datasets") { Description = "Datasets (registered with a first version: two events each)", DefaultValueFactory = _ => 10_000 };
        var jobs = new Option<int>("--jobs") { Description = "Training jobs", DefaultValueFactory = _ => 2_000 };
        var batch = new Option<int>("--batch") { Description = "Events per transaction", DefaultValueFactory = _ => 2_000 };
        var writers = new Option<int>("--writers") { Description = "Transactions in flight once datasets and jobs are written", DefaultValueFactory = _ => 4 };
        var feeds = new Option<bool>("--feeds") { Description = "Let regulator feeds forward the seeded events (off by default: seeded history is not news)" };
        var randomSeed = new Option<int>("--seed") { Description = "Random seed", DefaultValueFactory = _ => 2026 };

        var command = new Command("seed", "Write a realistic ledger (sites, datasets, jobs, decisions, grants, redemptions) with the broker's event types")
        {
            connection, schema, events, datasets, jobs, batch, writers, feeds, randomSeed,
        };
        command.SetAction(async (parse, ct) =>
        {
            using var store = CreateStore(parse.GetValue(connection)!, parse.GetValue(schema)!);
            var total = parse.GetValue(events);
            var plan = new SeedPlan(parse.GetValue(datasets), parse.GetValue(jobs), parse.GetValue(randomSeed));
            var elapsed = Stopwatch.StartNew();
            await AnsiConsole.Progress().StartAsync(async context =>
            {
                var task = context.AddTask("seeding", maxValue: total);
                await SeedAsync(store, plan, total, parse.GetValue(batch), parse.GetValue(writers), parse.GetValue(feeds), written => task.Increment(written), ct);
            });
            Console.WriteLine($"seeded {total} events in {elapsed.Elapsed.TotalSeconds:F1} s ({total / elapsed.Elapsed.TotalSeconds:F0} events/s)");
            return 0;
        });
        return command;
    }

    /// <summary>
    /// Writes the plan's first <paramref name="total"/> events: the foundation (sites, datasets, jobs) one
    /// transaction after another, then the activity with up to <paramref name="writers"/> in flight.
    /// </summary>
    /// <remarks>
    /// A chunk that appends to a stream an unfinished chunk also appends to waits for it: the inline
    /// projections load a dataset's document, apply the new events and store it, so two transactions
    /// updating one dataset at once would each overwrite the other's version (and the append itself
    /// would race for the stream's version or deadlock). Every other stream of the activity is new.
    /// </remarks>
    public static async Task SeedAsync(IDocumentStore store, SeedPlan plan, long total, int batch, int writers, bool feeds, Action<int> progress, CancellationToken ct)
    {
        var inFlight = new List<(Task Write, HashSet<Guid> Appended)>();
        var streamsWritten = 0;
        foreach (var chunk in Chunks(plan.Streams(total), batch, plan.FoundationStreams))
        {
            var foundation = streamsWritten < plan.FoundationStreams;
            streamsWritten += chunk.Count;
            if (foundation)
            {
                await WriteAsync(store, chunk, feeds, ct);
            }
            else
            {
                var appended = chunk.Where(s => !s.Start).Select(s => s.Id).ToHashSet();
                foreach (var overlapping in inFlight.Where(w => w.Appended.Overlaps(appended)).ToList())
                {
                    await overlapping.Write;
                    inFlight.Remove(overlapping);
                }
                if (inFlight.Count >= Math.Max(1, writers))
                {
                    var done = await Task.WhenAny(inFlight.Select(w => w.Write));
                    inFlight.RemoveAll(w => w.Write == done);
                    await done;
                }
                inFlight.Add((WriteAsync(store, chunk, feeds, ct), appended));
            }
            progress(chunk.Sum(s => s.Events.Count));
        }
        await Task.WhenAll(inFlight.Select(w => w.Write));
    }

    /// <summary>
    /// The store the seeder writes through: the broker's event settings and the inline projections of its
    /// slices (datasets, sites, jobs, grants, runs, model versions, lineage edges), so the documents the
    /// queries read are written with the events; schema created as needed.
    /// </summary>
    public static DocumentStore CreateStore(string connection, string schema) => DocumentStore.For(options =>
    {
        options.Connection(connection);
        options.DatabaseSchemaName = schema;
        options.Events.DatabaseSchemaName = schema;
        MartenSetup.ConfigureEvents(options);
        options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        SitesModule.ConfigureStore(options);
        DatasetsModule.ConfigureStore(options);
        TrainingJobsModule.ConfigureStore(options);
        DecisionsModule.ConfigureStore(options);
        ProvenanceModule.ConfigureStore(options);
    });

    /// <summary>Writes one chunk in one transaction, each event stamped with its own actor.</summary>
    public static async Task WriteAsync(IDocumentStore store, IReadOnlyList<SeedStream> chunk, bool feeds, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        if (!feeds)
        {
            session.SetHeader(FeedHeader, "off");
        }
        foreach (var stream in chunk)
        {
            var built = stream.Events.Select(e => (object)session.Events.BuildEvent(e.Data).Stamp(e.Actor)).ToArray();
            if (stream.Start)
            {
                session.Events.StartStream(stream.Id, built);
            }
            else
            {
                session.Events.Append(stream.Id, built);
            }
        }
        await session.CommitAsync(ct);
    }

    /// <summary>
    /// Whole streams grouped until a chunk holds at least <paramref name="eventsPerChunk"/> events; a chunk
    /// also ends after the <paramref name="foundation"/>-th stream, so no chunk mixes the two phases.
    /// </summary>
    public static IEnumerable<IReadOnlyList<SeedStream>> Chunks(IEnumerable<SeedStream> streams, int eventsPerChunk, int foundation)
    {
        var chunk = new List<SeedStream>();
        var count = 0;
        var index = 0;
        foreach (var stream in streams)
        {
            chunk.Add(stream);
            count += stream.Events.Count;
            if (count >= eventsPerChunk || ++index == foundation)
            {
                yield return chunk;
                chunk = [];
                count = 0;
            }
        }
        if (chunk.Count > 0)
        {
            yield return chunk;
        }
    }
}
