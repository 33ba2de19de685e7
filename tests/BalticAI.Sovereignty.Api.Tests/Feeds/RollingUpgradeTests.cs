using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Feeds.Outbox;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Ledger;
using BalticAI.Sovereignty.Api.Ledger.Holding;
using BalticAI.Sovereignty.Api.Ledger.QueryingEvents;
using BalticAI.Sovereignty.Api.Ledger.Tree;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using Marten;
using Marten.Services;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BalticAI.Sovereignty.Api.Tests.Feeds;

/// <summary>
/// During a rolling upgrade a newer node records an event type the old node, which holds the daemon lock,
/// does not know. The old node's daemon skips such an event; its feeds and event index must not: they hold
/// before it until the newer node takes the daemon over, which then forwards and indexes it in ledger order.
/// </summary>
public sealed class RollingUpgradeTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);
    private static readonly Actor Ministry = new("pl-mc", "PL", "registry-app", "ps:upgrade");

    [Fact]
    public async Task An_event_type_only_a_newer_node_knows_holds_the_feeds_and_index_until_that_node_takes_over()
    {
        await using var old = new FeedBrokerFactory { DaemonMode = "HotCold" };
        var before = Guid.Parse(await old.AppendAsync(Ministry, new ProbeDecisionMade(Guid.NewGuid(), "allow", ["EE"], "before")));
        (await WaitUntilAsync(() => IndexedAsync(old, before))).ShouldBeTrue("the old node holds the daemon lock and runs the subscriptions");

        await using var newer = new UpgradedFeedNode(old);
        var future = await AppendUnknownToOldAsync(newer, new ProbeFutureDecision(Guid.NewGuid(), ["EE"]));
        var after = Guid.Parse(await old.AppendAsync(Ministry, new ProbeDecisionMade(Guid.NewGuid(), "deny", ["EE"], "after")));
        var futureSequence = await SequenceOfAsync(old, future);

        var holds = old.Services.GetRequiredService<SubscriptionHolds>();
        (await WaitUntilAsync(() => Task.FromResult(holds.Current.Count == 2))).ShouldBeTrue("both the feeds and the index hold");
        holds.Current[FeedForwarder.SubscriptionName].ShouldBe(new UnreadEvent(futureSequence, "probe_future_decision"));
        holds.Current[LedgerEventIndexer.SubscriptionId].ShouldBe(new UnreadEvent(futureSequence, "probe_future_decision"));
        var health = JsonNode.Parse(await old.CreateClient().GetStringAsync("/health/ready"))!;
        health["status"]!.GetValue<string>().ShouldBe("Degraded");
        health["checks"]!["ledger-subscriptions"]!["description"]!.GetValue<string>().ShouldContain($"ledger event {futureSequence}");

        var feedLog = old.Services.GetRequiredService<FeedLog>();
        (await feedLog.FindAsync([before], CancellationToken.None)).Count.ShouldBe(3, "EE, EU and the actor's PL");
        (await feedLog.FindAsync([future, after], CancellationToken.None)).ShouldBeEmpty("nothing after the unread event is forwarded");
        (await IndexedAsync(old, after)).ShouldBeFalse("nothing after the unread event is indexed");
        (await old.Services.GetRequiredService<LedgerStore>().FindByEventAsync(future, CancellationToken.None)).ShouldNotBeNull("the tree reads raw rows and is not held");

        // The old node leaves (here: its daemon stops, which releases the hot/cold lock); the newer one takes over.
        await old.Services.GetRequiredService<Marten.Events.Daemon.Coordination.IProjectionCoordinator>().StopAsync(CancellationToken.None);
        // A hold ends when its subscription's cancellation reaches it, which stopping the daemon need not wait for.
        (await WaitUntilAsync(() => Task.FromResult(holds.Current.Count == 0))).ShouldBeTrue("stopping the daemon ends both holds");

        (await WaitUntilAsync(() => IndexedAsync(newer, after))).ShouldBeTrue("the newer node indexes on from the saved progress");
        (await IndexedAsync(newer, future)).ShouldBeTrue();
        var received = await ReadUntilAsync(old, "ee-aki", after);
        var ours = new[] { before, future, after }.Select(id => id.ToString()).ToList();
        // Delivery is at least once: the newer node re-sends what the old one sent of the held page.
        received.Where(ours.Contains).Distinct().ShouldBe(ours, "every event reaches the EE regulator, in ledger order");
    }

    private static async Task<List<string>> ReadUntilAsync(FeedBrokerFactory broker, string authority, Guid last)
    {
        var ids = new List<string>();
        var deadline = DateTime.UtcNow + Wait;
        while (!ids.Contains(last.ToString()) && DateTime.UtcNow < deadline)
        {
            var bodies = await FeedQueueReader.ReadAsync(broker.Rabbit, broker.QueueFor(authority), 1, Wait);
            ids.AddRange(bodies.Select(b => JsonNode.Parse(b)!["id"]!.GetValue<string>()));
        }
        return ids;
    }

    /// <summary>
    /// Records <paramref name="ledgerEvent"/> through the newer node, with the .NET type name a newer
    /// release would store: one the old node's assemblies do not hold, so only the type alias could name it.
    /// </summary>
    private static async Task<Guid> AppendUnknownToOldAsync(UpgradedFeedNode newer, object ledgerEvent)
    {
        await using var connection = new NpgsqlConnection(TestServices.PostgresConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        Guid id;
        await using (var session = newer.Services.GetRequiredService<IDocumentStore>().LightweightSession(SessionOptions.ForTransaction(transaction)))
        {
            session.RecordActor(Ministry);
            id = session.Events.StartStream(Guid.NewGuid(), ledgerEvent).Events.Single().Id;
            await session.SaveChangesAsync();
        }
        await using (var rename = new NpgsqlCommand(
            $"update {newer.Services.GetRequiredService<LedgerStore>().Table("mt_events")} set mt_dotnet_type = 'BalticAI.Sovereignty.Api.Feeds.NextRelease.FutureDecision, BalticAI.Sovereignty.Api' where id = $1",
            connection, transaction))
        {
            rename.Parameters.AddWithValue(id);
            (await rename.ExecuteNonQueryAsync()).ShouldBe(1);
        }
        await transaction.CommitAsync();
        return id;
    }

    private static async Task<long> SequenceOfAsync(BrokerFactory broker, Guid eventId)
    {
        var ledger = broker.Services.GetRequiredService<LedgerStore>();
        await using var command = ledger.DataSource.CreateCommand($"select seq_id from {ledger.Table("mt_events")} where id = $1");
        command.Parameters.AddWithValue(eventId);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<bool> IndexedAsync(BrokerFactory broker, Guid eventId)
    {
        var ledger = broker.Services.GetRequiredService<LedgerStore>();
        await using var command = ledger.DataSource.CreateCommand($"select count(*) from {ledger.Table(LedgerEventIndexSchema.Table)} where event_id = $1");
        command.Parameters.AddWithValue(eventId);
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }

    private static Task<bool> WaitUntilAsync(Func<Task<bool>> condition) => Eventually.HoldsWithinAsync(Wait, condition);
}
