using BalticAI.Sovereignty.Api.Feeds.Outbox;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Ledger;
using BalticAI.Sovereignty.Api.Ledger.QueryingEvents;
using BalticAI.Sovereignty.Api.Ledger.Tree;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using Marten;
using Marten.Services;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BalticAI.Sovereignty.Api.Tests.Feeds;

/// <summary>
/// A transaction that took its ledger sequence numbers and commits only long after (a slow disk, a lock
/// wait) leaves a gap the async daemon sees first. Skipping such a gap after its stale threshold would
/// lose an acknowledged event for the tree, the index and every feed; Marten's daemon must wait for it.
/// </summary>
public sealed class LateCommitTests(FeedBrokerFactory broker) : IClassFixture<FeedBrokerFactory>
{
    /// <summary>Marten's stale-sequence threshold is 3 s; the hold lasts well past it and several polls.</summary>
    private static readonly TimeSpan Hold = TimeSpan.FromSeconds(8);

    private static readonly Actor Ministry = new("pl-mc", "PL", "registry-app", "ps:late");

    [Fact]
    public async Task An_event_committed_after_the_stale_threshold_reaches_the_tree_the_index_and_its_feeds()
    {
        var store = broker.Services.GetRequiredService<IDocumentStore>();
        var first = Guid.Parse(await broker.AppendAsync(Ministry, new ProbeDecisionMade(Guid.NewGuid(), "allow", ["LT"], "before")));
        (await WaitForAsync(first)).ShouldBeTrue("the daemon runs");

        await using var connection = new NpgsqlConnection(TestServices.PostgresConnectionString);
        await connection.OpenAsync();
        await using var slow = await connection.BeginTransactionAsync();
        Guid late;
        await using (var session = store.LightweightSession(SessionOptions.ForTransaction(slow)))
        {
            session.RecordActor(Ministry);
            late = session.Events.StartStream(Guid.NewGuid(), new ProbeDecisionMade(Guid.NewGuid(), "allow", ["LT"], "late")).Events.Single().Id;
            await session.SaveChangesAsync();
        }
        var later = Guid.Parse(await broker.AppendAsync(Ministry, new ProbeDecisionMade(Guid.NewGuid(), "deny", ["EE"], "later")));
        await Task.Delay(Hold);

        (await ArrivedAsync(later)).ShouldBeFalse("the daemon waits at the gap instead of skipping it");
        await slow.CommitAsync();

        (await WaitForAsync(late)).ShouldBeTrue("the late event reached the tree, the index and its feeds");
        (await WaitForAsync(later)).ShouldBeTrue();
        var envelopes = await broker.Services.GetRequiredService<FeedLog>().FindAsync([late], CancellationToken.None);
        envelopes.Keys.Select(k => k.Feed).Order().ShouldBe(["EU", "LT", "PL"]);
        var ledger = broker.Services.GetRequiredService<LedgerStore>();
        (await ledger.FindByEventAsync(late, CancellationToken.None))!.Value.Index
            .ShouldBeLessThan((await ledger.FindByEventAsync(later, CancellationToken.None))!.Value.Index, "entries keep the ledger's order");
    }

    private async Task<bool> WaitForAsync(Guid eventId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await ArrivedAsync(eventId))
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }
            await Task.Delay(100);
        }
        return true;
    }

    /// <summary>The event is a tree entry, an index row and sealed into at least one feed.</summary>
    private async Task<bool> ArrivedAsync(Guid eventId)
    {
        var ledger = broker.Services.GetRequiredService<LedgerStore>();
        var sealedFeeds = await broker.Services.GetRequiredService<FeedLog>().FindAsync([eventId], CancellationToken.None);
        await using var command = ledger.DataSource.CreateCommand($"select count(*) from {ledger.Table(LedgerEventIndexSchema.Table)} where event_id = $1");
        command.Parameters.AddWithValue(eventId);
        var indexed = (long)(await command.ExecuteScalarAsync())! > 0;
        return await ledger.FindByEventAsync(eventId, CancellationToken.None) is not null && indexed && sealedFeeds.Count > 0;
    }
}
