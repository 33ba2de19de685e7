namespace BalticAI.Sovereignty.Api.Tests.Ledger;

/// <summary>The monitor's check (`balticai ledger missing`) on the broker's own schema: every recorded event is a leaf.</summary>
[Collection(LedgerCollection.Name)]
public sealed class LedgerCompletenessTests(LedgerBroker broker) : IClassFixture<LedgerBroker>
{
    [Fact]
    public async Task Events_in_the_tree_are_not_listed_and_an_event_without_a_leaf_is()
    {
        var ids = await broker.AppendAsync(3, "complete");
        await broker.WaitForCheckpointAsync(ids[^1]);

        var before = await broker.Ledger.FindEventsOutsideTreeAsync(TimeSpan.Zero, 1000, CancellationToken.None);
        before.Select(m => m.EventId).ShouldNotContain(id => ids.Contains(id));

        // This fixture's schema is its own: dropping a leaf stands for an event the tree builder never took.
        await broker.ExecuteAsync($"delete from {{schema}}.ledger_leaves where event_id = '{ids[1]}'");
        var after = await broker.Ledger.FindEventsOutsideTreeAsync(TimeSpan.Zero, 1000, CancellationToken.None);
        var lastSequence = (await broker.Ledger.ReadTipAsync(CancellationToken.None)).LastSequence;

        var missing = after.ShouldHaveSingleItem(string.Join(", ", after));
        missing.EventId.ShouldBe(ids[1]);
        missing.EventType.ShouldBe("ledger_test_event");
        missing.Sequence.ShouldBeLessThan(lastSequence);
        (await broker.Ledger.FindEventsOutsideTreeAsync(TimeSpan.FromMinutes(5), 1000, CancellationToken.None)).ShouldBeEmpty("it was recorded moments ago");
    }
}
