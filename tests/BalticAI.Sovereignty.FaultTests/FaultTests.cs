using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Contracts.Feeds;
using BalticAI.Sovereignty.FaultTests.Fixtures;
using BalticAI.Sovereignty.Security;
using Xunit.Abstractions;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace BalticAI.Sovereignty.FaultTests;

/// <summary>
/// Broker and inboxes as separate processes on the private RabbitMQ node. After each fault, every
/// decision is in every concerned inbox exactly once, each feed runs 1..n without gaps, and every
/// signature and chain link verified. Every wait is bounded.
/// </summary>
public sealed class FaultTests(FaultRabbitMq rabbit, ITestOutputHelper output) : IClassFixture<FaultRabbitMq>
{
    private static readonly TimeSpan Delivery = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task RabbitMQ_stopped_while_1000_decisions_are_made_then_started()
    {
        await using var world = new FaultEnvironment(output.WriteLine);
        var broker = await world.StartBrokerAsync();
        var inboxes = await StartInboxesAsync(world, broker);

        await rabbit.StopAsync();
        var decisions = await world.MakeDecisionsAsync(broker, 1000);
        await rabbit.StartAsync();

        foreach (var inbox in inboxes)
        {
            await world.AssertCompleteAsync(inbox, decisions, Delivery);
        }
    }

    [Fact]
    public async Task Broker_killed_mid_forwarding_and_restarted()
    {
        await using var world = new FaultEnvironment(output.WriteLine);
        var broker = await world.StartBrokerAsync();
        var inboxes = await StartInboxesAsync(world, broker);
        var eu = inboxes.Single(i => i.Feed == "EU");

        var making = world.MakeDecisionsAsync(broker, 1000);
        await world.WaitForAsync(eu, s => s["envelopes"]!.GetValue<long>() >= 50, Delivery);
        await broker.KillAsync();
        world.Log($"killed the broker when the EU inbox held {await world.CountAsync(eu)}");
        // Which decisions the killed broker committed is read from the ledger itself.
        await Record.ExceptionAsync(() => making);

        var restarted = await world.StartBrokerAsync("broker-restarted");
        var decisions = await world.MakeDecisionsAsync(restarted, 200);
        var committed = await world.CommittedDecisionsAsync();

        committed.Count.ShouldBeGreaterThanOrEqualTo(decisions.Count);
        world.Log($"{committed.Count} decisions committed in all");
        foreach (var inbox in inboxes)
        {
            await world.AssertCompleteAsync(inbox, committed, Delivery);
        }
    }

    [Fact]
    public async Task Inbox_crashing_mid_batch_stores_every_envelope_once_after_restart()
    {
        await using var world = new FaultEnvironment(output.WriteLine);
        var broker = await world.StartBrokerAsync();
        var inboxes = await StartInboxesAsync(world, broker);
        var eu = inboxes.Single(i => i.Feed == "EU");

        var making = world.MakeDecisionsAsync(broker, 1000);
        await world.WaitForAsync(eu, s => s["envelopes"]!.GetValue<long>() >= 100, Delivery);
        await eu.Process.KillAsync();
        var decisions = await making;
        world.Log($"killed the EU inbox; {decisions.Count} decisions made");
        var restarted = await world.StartInboxAsync(eu.Authority, eu.Feed, broker);

        await world.AssertCompleteAsync(restarted, decisions, Delivery);
        foreach (var inbox in inboxes.Where(i => i != eu))
        {
            await world.AssertCompleteAsync(inbox, decisions, Delivery);
        }
    }

    [Fact]
    public async Task Two_broker_nodes_hot_cold_and_the_active_one_killed()
    {
        await using var world = new FaultEnvironment(output.WriteLine);
        var nodes = new Dictionary<string, ChildProcess>
        {
            ["node-a"] = await world.StartBrokerAsync("node-a"),
            ["node-b"] = await world.StartBrokerAsync("node-b"),
        };
        var active = await world.ActiveNodeAsync(TimeSpan.FromSeconds(60));
        var standby = nodes.Single(n => n.Key != active).Value;
        var inboxes = await StartInboxesAsync(world, standby);
        var eu = inboxes.Single(i => i.Feed == "EU");

        var decisions = await world.MakeDecisionsAsync(standby, 1000);
        await world.WaitForAsync(eu, s => s["envelopes"]!.GetValue<long>() >= 1, Delivery);
        var before = await world.CountAsync(eu);
        await nodes[active].KillAsync();
        world.Log($"killed the active node {active} when the EU inbox held {before} of {decisions.Count}");
        decisions.AddRange(await world.MakeDecisionsAsync(standby, 300));
        (await world.ActiveNodeAsync(TimeSpan.FromSeconds(60))).ShouldNotBe(active);

        foreach (var inbox in inboxes)
        {
            await world.AssertCompleteAsync(inbox, decisions, Delivery);
        }
    }

    [Fact]
    public async Task Forged_and_altered_messages_are_rejected_and_reported()
    {
        await using var world = new FaultEnvironment(output.WriteLine);
        var broker = await world.StartBrokerAsync();
        var inbox = await world.StartInboxAsync("pl-uodo", "PL", broker);
        var decisions = await world.MakeDecisionsAsync(broker, 50);
        await world.AssertCompleteAsync(inbox, decisions, Delivery);
        var last = await world.LastEnvelopeAsync(inbox);
        var next = last["feedseq"]!.GetValue<long>() + 1;

        // Altered: the broker's genuine next envelope would look like this, but its data changed after signing.
        var altered = last.DeepClone().AsObject();
        altered["feedseq"] = next;
        altered["prevhash"] = FeedEnvelopeSeal.HashOf(CanonicalJson.Serialize(last));
        altered["data"]!["event"]!["outcome"] = "allow-everything";
        await world.PublishRawAsync("PL", CanonicalJson.Serialize(altered));
        // Forged: well-formed and signed, but with a key that is not the broker's.
        var keys = Path.Combine(Path.GetTempPath(), "balticai-forger", Guid.NewGuid().ToString("N"));
        using (var forger = new LocalKeyRing(keys, TimeProvider.System))
        {
            var unsigned = altered.DeepClone().AsObject();
            unsigned.Remove("jws");
            unsigned["id"] = Guid.NewGuid().ToString();
            await world.PublishRawAsync("PL", await FeedEnvelopeSeal.SealAsync(unsigned, forger, CancellationToken.None));
        }
        Directory.Delete(keys, recursive: true);

        var status = await world.WaitForAsync(inbox, s => s["verificationFailures"]!.GetValue<long>() == 2, Delivery);
        status["recentFailures"]!.AsArray().ShouldAllBe(f => f!["kind"]!.GetValue<string>() == "rejected");
        world.Log("forged and altered envelopes rejected and reported");
        decisions.AddRange(await world.MakeDecisionsAsync(broker, 50));
        await world.AssertCompleteAsync(inbox, decisions, Delivery, expectedFailures: 2);
    }

    [Fact]
    public async Task Witnessing_inbox_cosigns_across_its_own_restart_and_proves_envelopes_that_arrive_after_its_audit()
    {
        await using var world = new FaultEnvironment(output.WriteLine);
        var broker = await world.StartBrokerAsync();
        var uodo = await world.StartInboxAsync("pl-uodo", "PL", broker, witness: true);
        var decisions = await world.MakeDecisionsAsync(broker, 100);
        var first = await WaitForCosignedAsync(world, uodo, broker, beyond: 0);

        await uodo.Process.KillAsync();
        decisions.AddRange(await world.MakeDecisionsAsync(broker, 100));
        var restarted = await world.StartInboxAsync("pl-uodo", "PL", broker, witness: true);
        var second = await WaitForCosignedAsync(world, restarted, broker, beyond: first);

        second.ShouldBeGreaterThan(first);
        var status = await world.WitnessStatusAsync(restarted);
        status["refusals"]!.GetValue<long>().ShouldBe(0);
        foreach (var size in new[] { first, second })
        {
            var checkpoint = await world.CheckpointAsync(broker, size);
            checkpoint["cosignatures"]!.AsArray().Count.ShouldBe(1);
            checkpoint["note"]!.GetValue<string>().ShouldContain("— " + FaultEnvironment.WitnessName + " ");
        }
        await WaitForEveryEnvelopeProvenAsync(world, restarted);

        // Envelopes that reach the inbox only after its audit has passed their entries: the newest by the entries the audit
        // kept, older ones one by one.
        await rabbit.StopAsync();
        var late = await world.MakeDecisionsAsync(broker, 50);
        decisions.AddRange(late);
        var third = await WaitForCosignedAsync(world, restarted, broker, beyond: await world.WaitForEntryAsync(broker, late[^1].Id));
        await WaitForAuditAsync(world, restarted, third);
        await rabbit.StartAsync();
        await world.AssertCompleteAsync(restarted, decisions, Delivery);
        var proven = await WaitForEveryEnvelopeProvenAsync(world, restarted);
        proven["inclusionProblems"]!.GetValue<long>().ShouldBe(0, proven.ToJsonString());
        proven["logProblems"]!.GetValue<long>().ShouldBe(0, proven.ToJsonString());
        proven["auditedSize"]!.GetValue<long>().ShouldBeGreaterThanOrEqualTo(third, proven.ToJsonString());
        var (integrity, body) = await world.IntegrityAsync(restarted);
        integrity.ShouldBe(System.Net.HttpStatusCode.OK, body.ToJsonString());
        body["status"]!.GetValue<string>().ShouldBe("Healthy", body.ToJsonString());
    }

    /// <summary>Waits until the witness has audited the log through <paramref name="size"/> entries.</summary>
    private static async Task WaitForAuditAsync(FaultEnvironment world, Inbox inbox, long size)
    {
        var deadline = DateTime.UtcNow + Delivery;
        JsonNode status;
        do
        {
            status = await world.WitnessStatusAsync(inbox);
            if (status["auditedSize"]!.GetValue<long>() >= size)
            {
                world.Log($"witness audited {status["auditedSize"]} entries");
                return;
            }
            await Task.Delay(250);
        }
        while (DateTime.UtcNow < deadline);
        throw new TimeoutException($"the witness did not audit {size} entries: {status.ToJsonString()}");
    }

    /// <summary>
    /// Waits until the witness has proven every envelope its inbox holds, and the inbox holds some, to be in a
    /// checkpoint it cosigned (the last decisions' envelopes wait for the next checkpoint); returns its status.
    /// </summary>
    private async Task<JsonNode> WaitForEveryEnvelopeProvenAsync(FaultEnvironment world, Inbox inbox)
    {
        var deadline = DateTime.UtcNow + Delivery;
        JsonNode status;
        do
        {
            status = await world.WitnessStatusAsync(inbox);
            var proven = status["provenInLog"]!.GetValue<long>();
            if (status["notYetProven"]!.GetValue<long>() == 0 && proven > 0 && proven == await world.CountAsync(inbox))
            {
                world.Log($"witness proved {status["provenInLog"]} envelopes in its cosigned history");
                return status;
            }
            await Task.Delay(250);
        }
        while (DateTime.UtcNow < deadline);
        throw new TimeoutException($"the witness did not prove every envelope in its cosigned history: {status.ToJsonString()}");
    }

    /// <summary>
    /// Waits until the broker has signed a checkpoint larger than <paramref name="beyond"/> (the decisions
    /// just made may not be checkpointed yet) and the witness has cosigned its latest; returns that size.
    /// </summary>
    private async Task<long> WaitForCosignedAsync(FaultEnvironment world, Inbox inbox, ChildProcess broker, long beyond)
    {
        var deadline = DateTime.UtcNow + Delivery;
        while (DateTime.UtcNow < deadline)
        {
            var latest = await world.LatestCheckpointSizeAsync(broker);
            var cosigned = (await world.WitnessStatusAsync(inbox))["lastCosignedSize"]?.GetValue<long>();
            if (latest > beyond && cosigned == latest)
            {
                world.Log($"witness cosigned checkpoint {latest}");
                return latest;
            }
            await Task.Delay(250);
        }
        throw new TimeoutException("the witness did not catch up with the broker's latest checkpoint");
    }

    private static async Task<List<Inbox>> StartInboxesAsync(FaultEnvironment world, ChildProcess broker) =>
    [
        .. await Task.WhenAll(
            world.StartInboxAsync("pl-uodo", "PL", broker),
            world.StartInboxAsync("pl-kribsi", "PL", broker),
            world.StartInboxAsync("eu-ai-office", "EU", broker)),
    ];
}
