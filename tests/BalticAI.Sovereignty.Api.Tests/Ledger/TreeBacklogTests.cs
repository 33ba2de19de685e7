using Shouldly;

namespace BalticAI.Sovereignty.Api.Tests.Ledger;

[Collection(LedgerCollection.Name)]
public sealed class TreeBacklogTests(LedgerBroker broker) : IClassFixture<LedgerBroker>
{
    /// <summary>
    /// The daemon hands the tree builder whole sequence ranges (it loads no events for it), so one commit
    /// of more events than a chunk holds is built in several chunks; every entry must still be there, in order.
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
        (last.Value.Index - first.Value.Index).ShouldBe(ids.Count - 1);
        checkpoint["size"]!.GetValue<long>().ShouldBeGreaterThan(last.Value.Index);
        var report = await broker.ExportAndVerifyAsync();
        report.Problems.ShouldBeEmpty();
    }
}
