using Shouldly;

namespace BalticAI.Sovereignty.Api.Tests.Ledger;

[Collection(LedgerCollection.Name)]
public sealed class TreeBacklogTests(LedgerBroker broker) : IClassFixture<LedgerBroker>
{
    /// <summary>
    /// The daemon hands the tree builder whole sequence ranges (it loads no events for it), so one commit
    /// of more events than a chunk holds is built in several chunks; every entry must still be there, in order.
    /// The broker's own events (its start, recorded reads) may take sequence numbers in between: PostgreSQL
    /// sequences are not transactional, so a concurrent commit can interleave with a long one.
    /// </summary>
    [Fact]
    public async Task A_commit_larger_than_a_chunk_becomes_entries_in_order()
    {
        var ids = await broker.AppendAsync(2_300, "bulk");

        var checkpoint = await broker.WaitForCheckpointAsync(ids[^1]);

        var first = await broker.Ledger.FindByEventAsync(ids[0], CancellationToken.None);
        var last = await broker.Ledger.FindByEventAsync(ids[^1], CancellationToken.None);
        first.ShouldNotBeNull();
        last.ShouldNotBeNull();
        var entries = new List<Guid?>();
        var expectedIndex = first.Value.Index;
        await foreach (var entry in broker.Ledger.ReadEntriesAsync(first.Value.Index, last.Value.Index - first.Value.Index + 1, CancellationToken.None))
        {
            entry.Index.ShouldBe(expectedIndex++);
            entries.Add(entry.Event?.EventId);
        }
        expectedIndex.ShouldBe(last.Value.Index + 1);
        var ours = ids.ToHashSet();
        entries.Where(id => id is { } e && ours.Contains(e)).ShouldBe(ids.Cast<Guid?>());
        checkpoint["size"]!.GetValue<long>().ShouldBeGreaterThan(last.Value.Index);
        var report = await broker.ExportAndVerifyAsync();
        report.Problems.ShouldBeEmpty();
    }
}
