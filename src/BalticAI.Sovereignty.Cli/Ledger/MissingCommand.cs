using System.CommandLine;
using System.Globalization;
using BalticAI.Sovereignty.Api.Ledger.Tree;
using Npgsql;

namespace BalticAI.Sovereignty.Cli.Ledger;

/// <summary>
/// `balticai ledger missing --connection ...`: a monitor's check, with read access to the database, that every
/// recorded event is in the transparency log. An event the tree skipped would never be provable and never
/// reach a regulator's feed. Exit code 1 when it finds one, so it can run from cron or a probe.
/// </summary>
public static class MissingCommand
{
    public static Command Create()
    {
        var connection = new Option<string>("--connection") { Description = "PostgreSQL connection string (read access to the broker's schema)", Required = true };
        var schema = new Option<string>("--schema") { Description = "Marten schema", DefaultValueFactory = _ => "balticai" };
        var olderThan = new Option<int>("--older-than") { Description = "Seconds an event may take to reach the tree", DefaultValueFactory = _ => 300 };
        var limit = new Option<int>("--limit") { Description = "Most events listed", DefaultValueFactory = _ => 100 };
        var command = new Command("missing", "List recorded events the transparency log does not hold (exit 1 if any)") { connection, schema, olderThan, limit };
        command.SetAction(async (parse, ct) =>
        {
            var console = parse.InvocationConfiguration;
            if (parse.GetValue(limit) < 1)
            {
                // A limit of 0 lists nothing and so would always report a complete ledger.
                console.Error.WriteLine("--limit must be at least 1");
                return 2;
            }
            await using var dataSource = NpgsqlDataSource.Create(parse.GetValue(connection)!);
            var store = new LedgerStore(dataSource, parse.GetValue(schema)!);
            var grace = TimeSpan.FromSeconds(parse.GetValue(olderThan));
            try
            {
                var (_, lastSequence) = await store.ReadTipAsync(ct);
                var missing = await store.FindEventsOutsideTreeAsync(grace, parse.GetValue(limit), ct);
                foreach (var (sequence, eventId, type, timestamp) in missing)
                {
                    var why = sequence < lastSequence ? "skipped: later events are in the tree" : "not in the tree yet: the tree builder is behind";
                    console.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{sequence}\t{eventId}\t{type}\t{timestamp:O}\t{why}"));
                }
                console.Error.WriteLine(missing.Count == 0
                    ? $"every event recorded more than {grace.TotalSeconds:0} s ago is in the tree"
                    : $"{missing.Count} recorded event(s) are not in the tree");
                return missing.Count == 0 ? 0 : 1;
            }
            catch (NpgsqlException e)
            {
                console.Error.WriteLine($"cannot read the ledger: {e.Message}");
                return 2;
            }
        });
        return command;
    }
}
