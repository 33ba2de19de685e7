using System.Net;
using BalticAI.Sovereignty.RegulatorInbox.Reviewing;
using BalticAI.Sovereignty.RegulatorInbox.Storage;
using BalticAI.Sovereignty.RegulatorInbox.Tests.Fixtures;
using BalticAI.Sovereignty.RegulatorInbox.Witnessing;
using BalticAI.Sovereignty.Transparency.Witnessing;
using Microsoft.Extensions.DependencyInjection;

namespace BalticAI.Sovereignty.RegulatorInbox.Tests;

/// <summary>
/// An operator who has looked into an integrity problem acknowledges it with the inbox's `problems` command: it stops
/// making `/health/integrity` unhealthy, stays listed by `GET /inbox/problems` with who acknowledged it and why, and a
/// new problem, or the same one found again, alerts again.
/// </summary>
public sealed class ProblemReviewTests
{
    private const string Inconsistency =
        "the leaf hashes the broker recorded for entries 0-0 do not rebuild a tree consistent with the cosigned checkpoint of size 1";

    [Fact]
    public async Task An_acknowledged_forgery_stops_alerting_stays_listed_and_the_next_forgery_alerts_again()
    {
        await using var inbox = new InboxFactory();
        await inbox.PublishForgedAsync();
        await inbox.WaitForAsync(s => s.VerificationFailures == 1);
        var listed = (await inbox.GetJsonAsync("/inbox/problems")).Body["items"]!.AsArray();
        var name = listed[0]!["id"]!.GetValue<string>();

        var (exit, output, _) = await RunAsync(inbox, "acknowledge", name,
            "--by", "Anna Kowalska (UODO IT security)", "--reason", "a test message signed with a staging key; ticket UODO-2026-118");
        var (healthStatus, health) = await inbox.GetJsonAsync("/health/integrity");
        var open = (await inbox.GetJsonAsync("/inbox/problems")).Body["items"]!.AsArray();
        var acknowledged = (await inbox.GetJsonAsync("/inbox/problems?state=acknowledged")).Body["items"]!.AsArray();
        var again = await RunAsync(inbox, "acknowledge", name, "--by", "Jan Nowak", "--reason", "looked again");

        listed.Count.ShouldBe(1);
        name.ShouldStartWith("verification:");
        listed[0]!["kind"]!.GetValue<string>().ShouldBe("verification");
        listed[0]!["open"]!.GetValue<bool>().ShouldBeTrue();
        listed[0]!["detail"]!["failure"]!.GetValue<string>().ShouldBe("rejected");
        listed[0]!["acknowledgements"]!.AsArray().ShouldBeEmpty();
        exit.ShouldBe(0);
        output.ShouldBe($"acknowledged {name}\n");
        healthStatus.ShouldBe(HttpStatusCode.OK);
        health["status"]!.GetValue<string>().ShouldBe("Healthy");
        health["checks"]!["integrity"]!["data"]!["verificationFailures"]!.GetValue<long>().ShouldBe(0);
        health["checks"]!["integrity"]!["data"]!["acknowledgedProblems"]!.GetValue<long>().ShouldBe(1);
        open.ShouldBeEmpty();
        acknowledged.Count.ShouldBe(1);
        acknowledged[0]!["open"]!.GetValue<bool>().ShouldBeFalse();
        acknowledged[0]!["acknowledgements"]!.AsArray().Count.ShouldBe(1);
        acknowledged[0]!["acknowledgements"]![0]!["by"]!.GetValue<string>().ShouldBe("Anna Kowalska (UODO IT security)");
        acknowledged[0]!["acknowledgements"]![0]!["reason"]!.GetValue<string>().ShouldBe("a test message signed with a staging key; ticket UODO-2026-118");
        acknowledged[0]!["acknowledgements"]![0]!["account"]!.GetValue<string>().ShouldBe($"{Environment.UserName}@{Environment.MachineName}");
        acknowledged[0]!["acknowledgements"]![0]!["databaseUser"]!.GetValue<string>().ShouldBe(new Npgsql.NpgsqlConnectionStringBuilder(InboxFactory.Postgres).Username);
        again.Exit.ShouldBe(0);
        again.Output.ShouldBe($"{name} is not open (acknowledged since it was last seen); left as it is\n");
        // The failure is history: the inbox's status still counts it.
        (await inbox.StatusAsync()).VerificationFailures.ShouldBe(1);

        await inbox.PublishForgedAsync();
        await inbox.WaitForAsync(s => s.VerificationFailures == 2);
        var (alertStatus, alert) = await inbox.GetJsonAsync("/health/integrity");

        alertStatus.ShouldBe(HttpStatusCode.ServiceUnavailable);
        alert["checks"]!["integrity"]!["description"]!.GetValue<string>().ShouldStartWith("1 envelope(s) failed verification; latest:");
    }

    [Fact]
    public async Task A_log_problem_the_audit_finds_again_after_its_acknowledgement_is_open_again()
    {
        await using var inbox = await StartedAsync();
        var problems = inbox.Services.GetRequiredService<IntegrityProblems>();
        var audits = inbox.Services.GetRequiredService<LogAuditMemory>();
        var pass = new AuditPass(AuditPosition.Start, new AuditPosition(1, [new byte[32]]), [new AuditedEntry(0, Guid.NewGuid(), null)], Inconsistency);
        await audits.RecordAsync(pass, CancellationToken.None);

        var found = (await problems.CountAsync(CancellationToken.None))[ProblemKind.Log];
        var outcome = await problems.AcknowledgeAsync([], everyOpen: true, "Mari Tamm", "a test ledger reset on the staging broker", "mtamm@aki-ops-1", CancellationToken.None);
        var quiet = (await problems.CountAsync(CancellationToken.None))[ProblemKind.Log];
        await audits.RecordAsync(pass, CancellationToken.None);
        var foundAgain = (await problems.CountAsync(CancellationToken.None))[ProblemKind.Log];
        var listed = await problems.ListAsync(ProblemState.Open, null, 10, CancellationToken.None);

        found.ShouldBe(new ProblemCount(1, 0, "entry 0: " + Inconsistency));
        outcome.Acknowledged.Count.ShouldBe(1);
        outcome.Acknowledged[0].Kind.ShouldBe(ProblemKind.Log);
        quiet.ShouldBe(new ProblemCount(0, 1, null));
        foundAgain.ShouldBe(new ProblemCount(1, 0, "entry 0: " + Inconsistency));
        listed.Items.Count.ShouldBe(1);
        listed.Items[0].Id.ShouldBe(outcome.Acknowledged[0]);
        listed.Items[0].Acknowledgements.Select(a => (a.By, a.Account)).ShouldBe([("Mari Tamm", "mtamm@aki-ops-1")]);
        (await inbox.ExecuteAsync($"select count(*)::text from {inbox.Schema}.log_problems")).ShouldBe(["1"]);
    }

    [Fact]
    public async Task A_name_the_inbox_does_not_hold_records_nothing_and_every_open_problem_is_acknowledged_at_once()
    {
        await using var inbox = await StartedAsync();
        await inbox.Services.GetRequiredService<WitnessMemory>().RecordRefusalAsync(7, "the checkpoint of size 7 does not extend the cosigned one", CancellationToken.None);
        await inbox.Services.GetRequiredService<InclusionMemory>().RecordProblemAsync("0198-event", "its leaf hashes to another value", CancellationToken.None);

        var unknown = await RunAsync(inbox, "acknowledge", "refusal:1", "verification:999", "--by", "Jonas", "--reason", "checked");
        var afterUnknown = await inbox.Services.GetRequiredService<IntegrityProblems>().CountAsync(CancellationToken.None);
        var all = await RunAsync(inbox, "acknowledge", "--all-open", "--by", "Jonas Petraitis (VDAI)", "--reason", "both from the 30 November drill");
        var listed = await RunAsync(inbox, "list", "--state", "all");
        var none = await RunAsync(inbox, "list");

        unknown.Exit.ShouldBe(1);
        unknown.Error.ShouldContain("the inbox holds no problem verification:999; nothing was acknowledged");
        afterUnknown[ProblemKind.Refusal].Open.ShouldBe(1);
        afterUnknown[ProblemKind.Inclusion].Open.ShouldBe(1);
        all.Exit.ShouldBe(0);
        all.Output.ShouldBe("acknowledged refusal:1\nacknowledged inclusion:1\n");
        listed.Exit.ShouldBe(0);
        var lines = listed.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(4);
        lines.Count(l => l.StartsWith("\tacknowledged ", StringComparison.Ordinal)
            && l.Contains(" by Jonas Petraitis (VDAI) (", StringComparison.Ordinal) && l.EndsWith("): both from the 30 November drill", StringComparison.Ordinal)).ShouldBe(2);
        lines.ShouldContain(l => l.StartsWith("inclusion:1\t", StringComparison.Ordinal) && l.EndsWith("\tacknowledged\t0198-event: its leaf hashes to another value", StringComparison.Ordinal));
        lines.ShouldContain(l => l.StartsWith("refusal:1\t", StringComparison.Ordinal) && l.EndsWith("\tacknowledged\tthe checkpoint of size 7 does not extend the cosigned one", StringComparison.Ordinal));
        none.Output.ShouldBeEmpty();
        none.Error.ShouldBe("0 problem(s)\n");
    }

    [Theory]
    [InlineData("acknowledge|--by|a|--reason|b", "name the problems to acknowledge, or pass --all-open, not both")]
    [InlineData("acknowledge|refusal:1|--all-open|--by|a|--reason|b", "name the problems to acknowledge, or pass --all-open, not both")]
    [InlineData("acknowledge|refusals:1|--by|a|--reason|b", "'refusals:1' is not a problem's name")]
    [InlineData("acknowledge|refusal:0|--by|a|--reason|b", "'refusal:0' is not a problem's name")]
    [InlineData("acknowledge|refusal:1|--by|a|--reason| ", "--by and --reason must not be blank")]
    [InlineData("acknowledge|refusal:1|--reason|b", "--by")]
    [InlineData("list|--limit|0", "--limit must be between 1 and 1000")]
    [InlineData("list|--state|closed", "closed")]
    public async Task Bad_usage_is_refused_before_anything_is_read_or_recorded(string args, string message)
    {
        await using var inbox = await StartedAsync();
        await inbox.Services.GetRequiredService<WitnessMemory>().RecordRefusalAsync(7, "refused", CancellationToken.None);

        var (exit, _, error) = await RunAsync(inbox, args.Split('|'));

        exit.ShouldBe(2);
        error.ShouldContain(message);
        (await inbox.Services.GetRequiredService<IntegrityProblems>().CountAsync(CancellationToken.None))[ProblemKind.Refusal].Open.ShouldBe(1);
    }

    [Fact]
    public async Task The_listing_pages_newest_first_and_refuses_a_query_it_cannot_read()
    {
        await using var inbox = await StartedAsync();
        var witness = inbox.Services.GetRequiredService<WitnessMemory>();
        foreach (var size in new[] { 1L, 2L, 3L })
        {
            await witness.RecordRefusalAsync(size, $"checkpoint {size} refused", CancellationToken.None);
        }

        var first = (await inbox.GetJsonAsync("/inbox/problems?limit=2")).Body;
        var second = (await inbox.GetJsonAsync($"/inbox/problems?limit=2&cursor={Uri.EscapeDataString(first["next"]!.GetValue<string>())}")).Body;
        var badState = await inbox.GetJsonAsync("/inbox/problems?state=closed");
        var badCursor = await inbox.GetJsonAsync("/inbox/problems?cursor=12.refusal");
        var badLimit = await inbox.GetJsonAsync("/inbox/problems?limit=0");
        using var unreadable = await inbox.CreateClient().GetAsync("/inbox/problems?limit=many");

        first["items"]!.AsArray().Select(i => i!["reason"]!.GetValue<string>()).ShouldBe(["checkpoint 3 refused", "checkpoint 2 refused"]);
        first["items"]![0]!["detail"]!["checkpointSize"]!.GetValue<long>().ShouldBe(3);
        second["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).ShouldBe(["refusal:1"]);
        second["next"].ShouldBeNull();
        badState.Status.ShouldBe(HttpStatusCode.BadRequest);
        badState.Body["errors"]!["state"]![0]!.GetValue<string>().ShouldBe("state must be open, acknowledged or all");
        badCursor.Status.ShouldBe(HttpStatusCode.BadRequest);
        badCursor.Body["errors"]!["cursor"].ShouldNotBeNull();
        badLimit.Status.ShouldBe(HttpStatusCode.BadRequest);
        badLimit.Body["errors"]!["limit"].ShouldNotBeNull();
        unreadable.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        unreadable.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Theory]
    [InlineData("--Inbox:Schema=inbox_t_never_started", 2, "the database holds no records of an inbox in schema inbox_t_never_started")]
    [InlineData("--ConnectionStrings:Postgres=Host=127.0.0.1;Port=1;Database=balticai;Username=balticai;Password=balticai;Timeout=2", 3,
        "the inbox's database cannot be read:")]
    public async Task An_inbox_the_command_cannot_read_is_named_rather_than_listed_as_without_problems(string setting, int code, string message)
    {
        await using var inbox = new InboxFactory();

        var (exit, output, error) = await RunAsync(inbox, "list", setting);

        exit.ShouldBe(code);
        output.ShouldBeEmpty();
        error.ShouldStartWith(message);
    }

    /// <summary>An inbox with every problem table, as a witnessing inbox has them once started.</summary>
    private static async Task<InboxFactory> StartedAsync()
    {
        var inbox = new InboxFactory();
        await inbox.Services.GetRequiredService<InboxStore>().CreateAsync(CancellationToken.None);
        await inbox.Services.GetRequiredService<WitnessMemory>().CreateAsync(CancellationToken.None);
        await inbox.Services.GetRequiredService<InclusionMemory>().CreateAsync(CancellationToken.None);
        await inbox.Services.GetRequiredService<LogAuditMemory>().CreateAsync(CancellationToken.None);
        return inbox;
    }

    /// <summary>The command as an operator runs it, with the inbox's configuration as `--Section:Key=value` arguments.</summary>
    private static async Task<(int Exit, string Output, string Error)> RunAsync(InboxFactory inbox, params string[] args)
    {
        using var output = new StringWriter { NewLine = "\n" };
        using var error = new StringWriter { NewLine = "\n" };
        var exit = await ProblemsCommand.RunAsync(
            [$"--ConnectionStrings:Postgres={InboxFactory.Postgres}", "--Inbox:Authority=pl-uodo", $"--Inbox:Schema={inbox.Schema}", .. args], output, error);
        return (exit, output.ToString(), error.ToString());
    }
}
