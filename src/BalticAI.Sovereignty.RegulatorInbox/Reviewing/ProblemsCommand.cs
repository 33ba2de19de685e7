using System.CommandLine;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BalticAI.Sovereignty.RegulatorInbox.Reviewing;

/// <summary>
/// `problems list` and `problems acknowledge`, run with the inbox's own binary and configuration (appsettings, environment,
/// `--Key=value` arguments), as `BalticAI.Sovereignty.RegulatorInbox problems ...`. Acknowledging needs the inbox's
/// database, as any change to its records does; the inbox's HTTP API stays read-only and unauthenticated.
/// </summary>
public static class ProblemsCommand
{
    public const string Name = "problems";

    /// <summary>Exit codes: 0 done, 1 a named problem the inbox does not hold (nothing recorded), 2 bad usage or configuration, 3 the database cannot be reached.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        // Configuration arguments are taken out first: a command's arguments would otherwise take them as problem names.
        var settings = args.Where(InboxCommandLine.IsSetting).ToArray();
        var root = new RootCommand("Review the inbox's integrity problems (arguments of the form --Section:Key=value set its configuration)");
        var state = new Option<ProblemState>("--state") { Description = "open (default), acknowledged or all", DefaultValueFactory = _ => ProblemState.Open };
        var limit = new Option<int>("--limit") { Description = "At most this many, newest first", DefaultValueFactory = _ => ProblemsEndpoint.DefaultLimit };
        var list = new Command("list", "List integrity problems with their acknowledgements, newest first") { state, limit };
        var ids = new Argument<string[]>("problem") { Description = "Problems by name, e.g. verification:3 refusal:1 (see `problems list`)", Arity = ArgumentArity.ZeroOrMore };
        var allOpen = new Option<bool>("--all-open") { Description = "Every problem open now, instead of names" };
        var by = new Option<string>("--by") { Description = "Who looked into them (recorded)", Required = true };
        var reason = new Option<string>("--reason") { Description = $"What was found, or where it is recorded (at most {IntegrityProblems.MaxReasonLength} characters)", Required = true };
        var acknowledge = new Command("acknowledge", "Record that problems were looked into: they stop making /health/integrity unhealthy and stay listed") { ids, allOpen, by, reason };
        root.Subcommands.Add(list);
        root.Subcommands.Add(acknowledge);
        list.SetAction((parse, ct) => WithStoreAsync(settings, error, store => ListAsync(store, parse.GetValue(state), parse.GetValue(limit), output, error, ct)));
        acknowledge.SetAction((parse, ct) => WithStoreAsync(settings, error, store =>
            AcknowledgeAsync(store, parse.GetValue(ids) ?? [], parse.GetValue(allOpen), parse.GetValue(by)!, parse.GetValue(reason)!, output, error, ct)));
        return await InboxCommandLine.InvokeAsync(root, args, output, error);
    }

    private static async Task<int> WithStoreAsync(string[] settings, TextWriter error, Func<IntegrityProblems, Task<int>> run)
    {
        var configuration = InboxCommandLine.Configuration(settings);
        var inbox = configuration.GetSection(InboxOptions.SectionName).Get<InboxOptions>() ?? new InboxOptions();
        var connectionString = configuration.GetConnectionString("Postgres");
        if (string.IsNullOrEmpty(connectionString) || string.IsNullOrEmpty(inbox.Authority) || !InboxOptions.IsPlainIdentifier(inbox.SchemaName))
        {
            await error.WriteLineAsync("ConnectionStrings:Postgres and Inbox:Authority (or Inbox:Schema, a plain identifier) must be set, as for the inbox itself");
            return 2;
        }
        await using var database = NpgsqlDataSource.Create(connectionString);
        try
        {
            var store = new IntegrityProblems(database, Options.Create(inbox));
            if (!await store.ExistsAsync(CancellationToken.None))
            {
                await error.WriteLineAsync($"the database holds no records of an inbox in schema {inbox.SchemaName}: is Inbox:Authority (or Inbox:Schema) right, and has that inbox started?");
                return 2;
            }
            return await run(store);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            await error.WriteLineAsync($"the inbox's database cannot be read: {e.Message}");
            return 3;
        }
    }

    private static async Task<int> ListAsync(IntegrityProblems store, ProblemState state, int limit, TextWriter output, TextWriter error, CancellationToken ct)
    {
        if (limit is < 1 or > ProblemsEndpoint.MaxLimit)
        {
            await error.WriteLineAsync($"--limit must be between 1 and {ProblemsEndpoint.MaxLimit}");
            return 2;
        }
        var page = await store.ListAsync(state, null, limit, ct);
        foreach (var problem in page.Items)
        {
            await output.WriteLineAsync($"{problem.Id}\t{problem.At:O}\t{(problem.Open ? "open" : "acknowledged")}\t{problem.Summary}");
            foreach (var a in problem.Acknowledgements)
            {
                await output.WriteLineAsync($"\tacknowledged {a.At:O} by {a.By} ({a.Account}, database role {a.DatabaseUser}): {a.Reason}");
            }
        }
        await error.WriteLineAsync(page.Next is null ? $"{page.Items.Count} problem(s)" : $"{page.Items.Count} problem(s) shown; more with a larger --limit or GET /inbox/problems");
        return 0;
    }

    private static async Task<int> AcknowledgeAsync(
        IntegrityProblems store, string[] names, bool allOpen, string by, string reason, TextWriter output, TextWriter error, CancellationToken ct)
    {
        if (allOpen == names.Length > 0)
        {
            await error.WriteLineAsync("name the problems to acknowledge, or pass --all-open, not both");
            return 2;
        }
        if (string.IsNullOrWhiteSpace(by) || string.IsNullOrWhiteSpace(reason) || reason.Length > IntegrityProblems.MaxReasonLength)
        {
            await error.WriteLineAsync($"--by and --reason must not be blank, and --reason at most {IntegrityProblems.MaxReasonLength} characters");
            return 2;
        }
        var ids = new List<ProblemId>();
        foreach (var name in names)
        {
            if (!ProblemId.TryParse(name, out var id))
            {
                await error.WriteLineAsync($"'{name}' is not a problem's name: kind:number, the kind verification, refusal, inclusion or log");
                return 2;
            }
            ids.Add(id);
        }
        var outcome = await store.AcknowledgeAsync(ids.Distinct().ToList(), allOpen, by.Trim(), reason.Trim(), $"{Environment.UserName}@{Environment.MachineName}", ct);
        if (outcome.Unknown.Count > 0)
        {
            await error.WriteLineAsync($"the inbox holds no problem {string.Join(", ", outcome.Unknown)}; nothing was acknowledged");
            return 1;
        }
        foreach (var id in outcome.Acknowledged)
        {
            await output.WriteLineAsync($"acknowledged {id}");
        }
        foreach (var id in outcome.NotOpen)
        {
            await output.WriteLineAsync($"{id} is not open (acknowledged since it was last seen); left as it is");
        }
        await error.WriteLineAsync($"{outcome.Acknowledged.Count} problem(s) acknowledged by {by.Trim()}");
        return 0;
    }
}
