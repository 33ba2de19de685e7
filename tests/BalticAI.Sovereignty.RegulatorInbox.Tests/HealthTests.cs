using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.RegulatorInbox.Tests.Fixtures;
using BalticAI.Sovereignty.RegulatorInbox.Witnessing;
using Microsoft.Extensions.DependencyInjection;

namespace BalticAI.Sovereignty.RegulatorInbox.Tests;

/// <summary>
/// What a regulator's monitoring reads: `/health/ready` for the database and the feed queue, `/health/integrity` for
/// evidence that something is wrong with what the broker sent or showed (503 while any is held), gaps as degraded.
/// </summary>
public sealed class HealthTests
{
    [Fact]
    public async Task A_consuming_inbox_is_live_ready_and_its_integrity_healthy()
    {
        await using var inbox = new InboxFactory();
        await inbox.PublishAsync(await inbox.Feed.NextAsync(), await inbox.Feed.NextAsync());
        await inbox.WaitForAsync(s => s.Envelopes == 2);

        var (live, _) = await inbox.GetJsonAsync("/health/live");
        var (ready, readyBody) = await inbox.GetJsonAsync("/health/ready");
        var (integrity, integrityBody) = await inbox.GetJsonAsync("/health/integrity");

        live.ShouldBe(HttpStatusCode.OK);
        ready.ShouldBe(HttpStatusCode.OK);
        readyBody["checks"]!["receiving"]!["status"]!.GetValue<string>().ShouldBe("Healthy");
        integrity.ShouldBe(HttpStatusCode.OK);
        integrityBody["status"]!.GetValue<string>().ShouldBe("Healthy");
        integrityBody["checks"]!["integrity"]!["data"]!["verificationFailures"]!.GetValue<long>().ShouldBe(0);
    }

    [Fact]
    public async Task A_forged_envelope_makes_integrity_unhealthy_and_leaves_readiness_alone()
    {
        await using var inbox = new InboxFactory();
        await inbox.PublishForgedAsync();
        await inbox.WaitForAsync(s => s.VerificationFailures == 1);

        var (integrity, body) = await inbox.GetJsonAsync("/health/integrity");
        var (ready, _) = await inbox.GetJsonAsync("/health/ready");

        integrity.ShouldBe(HttpStatusCode.ServiceUnavailable);
        body["status"]!.GetValue<string>().ShouldBe("Unhealthy");
        body["checks"]!["integrity"]!["description"]!.GetValue<string>().ShouldContain("1 envelope(s) failed verification; latest:");
        ready.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_missing_feed_sequence_number_is_degraded_until_it_arrives()
    {
        await using var inbox = new InboxFactory();
        var first = await inbox.Feed.NextAsync();
        var second = await inbox.Feed.NextAsync();
        var third = await inbox.Feed.NextAsync();
        await inbox.PublishAsync(first, third);
        await inbox.WaitForAsync(s => s.Envelopes == 2);

        var (withGap, gapBody) = await inbox.GetJsonAsync("/health/integrity");
        await inbox.PublishAsync(second);
        await inbox.WaitForAsync(s => s.Envelopes == 3);
        var (filled, filledBody) = await inbox.GetJsonAsync("/health/integrity");

        withGap.ShouldBe(HttpStatusCode.OK);
        gapBody["status"]!.GetValue<string>().ShouldBe("Degraded");
        gapBody["checks"]!["integrity"]!["description"]!.GetValue<string>().ShouldBe("feed sequence numbers missing: 2");
        filled.ShouldBe(HttpStatusCode.OK);
        filledBody["status"]!.GetValue<string>().ShouldBe("Healthy");
    }

    [Fact]
    public async Task A_witness_that_cannot_reach_the_broker_turns_unhealthy_once_stale_and_refusals_and_proof_problems_are_named()
    {
        await using var inbox = WitnessingInbox(("Inbox:Witness:StaleAfterSeconds", "2"));
        // The broker is http://broker.invalid: no round completes, so the witness goes stale two seconds after the start.
        var stale = await WaitForIntegrityAsync(inbox, d => d.Contains("no witness round has completed against the broker since the inbox started"));
        stale.Status.ShouldBe(HttpStatusCode.ServiceUnavailable);

        await inbox.Services.GetRequiredService<WitnessMemory>().RecordRefusalAsync(7, "the checkpoint of size 7 does not extend the cosigned one", CancellationToken.None);
        await inbox.Services.GetRequiredService<InclusionMemory>().RecordProblemAsync("0198-event", "its leaf hashes to another value", CancellationToken.None);
        var evidence = await WaitForIntegrityAsync(inbox, d => d.Contains("refused 1 checkpoint(s)"));

        evidence.Description.ShouldContain("latest: the checkpoint of size 7 does not extend the cosigned one");
        evidence.Description.ShouldContain("1 envelope(s) are not proven in the cosigned history; latest: 0198-event: its leaf hashes to another value");
        evidence.Body["checks"]!["integrity"]!["data"]!["witnessRefusals"]!.GetValue<long>().ShouldBe(1);
        evidence.Body["checks"]!["integrity"]!["data"]!["inclusionProblems"]!.GetValue<long>().ShouldBe(1);

        // The last round is kept in the inbox's schema, so a restart does not reset the witness's silence.
        await inbox.Services.GetRequiredService<WitnessMemory>().RecordRoundAsync(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero), CancellationToken.None);
        var recorded = await WaitForIntegrityAsync(inbox, d => d.Contains("since 2026-11-30T08:00:00"));
        recorded.Description.ShouldContain("no witness round has completed against the broker since 2026-11-30T08:00:00.0000000+00:00");
        (await inbox.Services.GetRequiredService<WitnessMemory>().StatusAsync(CancellationToken.None)).LastRound
            .ShouldBe(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task An_envelope_not_proven_within_the_deadline_is_degraded_until_it_is()
    {
        await using var inbox = WitnessingInbox(("Inbox:Witness:ProofDeadlineSeconds", "60"), ("Inbox:Witness:StaleAfterSeconds", "3600"));
        await inbox.PublishAsync(await inbox.Feed.NextAsync(), await inbox.Feed.NextAsync());
        await inbox.WaitForAsync(s => s.Envelopes == 2);
        var fresh = await WaitForIntegrityAsync(inbox, d => d.StartsWith("every envelope verified", StringComparison.Ordinal));
        // The first envelope arrived an hour ago, as after a broker that stopped checkpointing what its feed carried.
        var ids = await inbox.ExecuteAsync($"update {inbox.Schema}.envelopes set received_at = now() - interval '1 hour' where seq = 1 returning id");

        var overdue = await WaitForIntegrityAsync(inbox, d => d.Contains("ProofDeadlineSeconds);"));
        await inbox.Services.GetRequiredService<InclusionMemory>().RecordProvenAsync(ids[0], 7, 8, CancellationToken.None);
        var proven = await WaitForIntegrityAsync(inbox, d => d.StartsWith("every envelope verified", StringComparison.Ordinal));

        fresh.Status.ShouldBe(HttpStatusCode.OK);
        overdue.Status.ShouldBe(HttpStatusCode.OK);
        overdue.Body["status"]!.GetValue<string>().ShouldBe("Degraded");
        overdue.Description.ShouldStartWith("1 envelope(s) received more than 60 s ago are not proven in the cosigned history yet (Inbox:Witness:ProofDeadlineSeconds); the oldest arrived ");
        overdue.Body["checks"]!["integrity"]!["data"]!["overdueProofs"]!.GetValue<long>().ShouldBe(1);
        proven.Body["status"]!.GetValue<string>().ShouldBe("Healthy");
    }

    [Fact]
    public void Silence_counts_from_the_last_recorded_round_or_else_from_the_start()
    {
        var start = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
        var clock = new ManualClock(start);
        var progress = new WitnessProgress(clock);

        clock.Advance(TimeSpan.FromSeconds(30));

        progress.SilenceSince(null).ShouldBe(TimeSpan.FromSeconds(30));
        progress.SilenceSince(start.AddSeconds(26)).ShouldBe(TimeSpan.FromSeconds(4));
        progress.SilenceSince(start.AddHours(-1)).ShouldBe(TimeSpan.FromSeconds(3630));
    }

    /// <summary>An inbox that witnesses http://broker.invalid every half second, which no round reaches, with <paramref name="settings"/> besides.</summary>
    private static InboxFactory WitnessingInbox(params (string Key, string Value)[] settings) => new(
    [
        ("Inbox:Witness:Enabled", "true"),
        ("Inbox:Witness:Name", "uodo.test/witness"),
        ("Inbox:Witness:KeyFile", "{keys}/witness.jwk"),
        ("Inbox:Witness:Scope", "api://balticai-test/.default"),
        ("Inbox:Witness:IntervalSeconds", "0.5"),
        .. settings,
    ]);

    /// <summary>Polls `/health/integrity` until its description matches; bounded at 20 seconds.</summary>
    private static async Task<(HttpStatusCode Status, string Description, JsonObject Body)> WaitForIntegrityAsync(InboxFactory inbox, Func<string, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var (status, body) = await inbox.GetJsonAsync("/health/integrity");
            var description = body["checks"]?["integrity"]?["description"]?.GetValue<string>() ?? "";
            if (condition(description))
            {
                return (status, description, body);
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("integrity never matched; last: " + body.ToJsonString());
            }

            await Task.Delay(100);
        }
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
