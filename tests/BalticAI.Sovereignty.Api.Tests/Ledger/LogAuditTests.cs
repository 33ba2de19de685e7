using BalticAI.Sovereignty.Transparency.Checkpoints;
using BalticAI.Sovereignty.Transparency.Witnessing;

namespace BalticAI.Sovereignty.Api.Tests.Ledger;

/// <summary>
/// A regulator's witness audits the broker's log as a Certificate Transparency monitor does: every entry, page by page,
/// rebuilt onto what it verified before and checked against the checkpoint it cosigned.
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class LogAuditTests(LedgerBroker broker) : IClassFixture<LedgerBroker>
{
    [Fact]
    public async Task A_pass_rebuilds_the_cosigned_checkpoint_and_the_next_pass_goes_on_from_its_right_edge()
    {
        var first = await broker.AppendAsync(5, "audited", Tampering.Ministry);
        var cosigned = await CosignedAsync(first[^1]);

        var pass = await new LogAudit(broker.CreateClient(), 2, 1_000_000).RunAsync(AuditPosition.Start, cosigned, CancellationToken.None);

        pass.Inconsistency.ShouldBeNull();
        pass.To.Size.ShouldBe(cosigned.Size);
        pass.Entries.Select(e => e.Index).ShouldBe(Enumerable.Range(0, (int)cosigned.Size).Select(i => (long)i));
        foreach (var id in first)
        {
            var entry = pass.Entries.Single(e => e.EventId == id);
            entry.Problem.ShouldBeNull();
            entry.Index.ShouldBe((await broker.Ledger.FindByEventAsync(id, CancellationToken.None))!.Value.Index);
        }

        var second = await broker.AppendAsync(3, "later", Tampering.Ministry);
        var next = await CosignedAsync(second[^1]);
        var resumed = await new LogAudit(broker.CreateClient(), 1000, 1_000_000).RunAsync(pass.To, next, CancellationToken.None);

        resumed.Inconsistency.ShouldBeNull();
        resumed.Entries[0].Index.ShouldBe(cosigned.Size);
        resumed.To.Size.ShouldBe(next.Size);
        resumed.Entries.Where(e => e.EventId is { } id && second.Contains(id)).Count().ShouldBe(3);
        var whole = await new LogAudit(broker.CreateClient(), 1000, 1_000_000).RunAsync(AuditPosition.Start, next, CancellationToken.None);
        whole.To.Frontier.ShouldBe(resumed.To.Frontier);
    }

    [Fact]
    public async Task A_pass_that_stops_short_of_the_checkpoint_is_proven_consistent_with_it()
    {
        var events = await broker.AppendAsync(6, "short", Tampering.Ministry);
        var cosigned = await CosignedAsync(events[^1]);
        var limit = cosigned.Size - 2;

        var pass = await new LogAudit(broker.CreateClient(), 3, limit).RunAsync(AuditPosition.Start, cosigned, CancellationToken.None);
        var forked = await new LogAudit(broker.CreateClient(), 3, limit).RunAsync(AuditPosition.Start, cosigned with { RootHash = new byte[32] }, CancellationToken.None);

        pass.Inconsistency.ShouldBeNull();
        pass.To.Size.ShouldBe(limit);
        pass.Entries.Count.ShouldBe((int)limit);
        forked.Inconsistency.ShouldBe($"the leaf hashes the broker recorded for entries 0-{limit - 1} do not rebuild a tree consistent with the cosigned checkpoint of size {cosigned.Size}");
    }

    [Fact]
    public async Task A_changed_row_is_named_and_a_root_the_witness_never_cosigned_is_an_inconsistency()
    {
        var events = await broker.AppendAsync(2, "changed", Tampering.Ministry);
        var cosigned = await CosignedAsync(events[^1]);
        var sequence = (await broker.Ledger.FindByEventAsync(events[0], CancellationToken.None))!.Value.Sequence;
        await broker.ExecuteAsync($$"""update {schema}.mt_events set data = jsonb_set(data, '{Number}', '7') where seq_id = {{sequence}}""");

        var pass = await new LogAudit(broker.CreateClient(), 1000, 1_000_000).RunAsync(AuditPosition.Start, cosigned, CancellationToken.None);
        var forked = await new LogAudit(broker.CreateClient(), 1000, 1_000_000).RunAsync(AuditPosition.Start, cosigned with { RootHash = new byte[32] }, CancellationToken.None);

        pass.Entries.Single(e => e.EventId == events[0]).Problem.ShouldBe("the event's row differs from what the tree recorded");
        pass.Entries.Single(e => e.EventId == events[1]).Problem.ShouldBeNull();
        pass.Inconsistency.ShouldBeNull("a changed row leaves the recorded leaf hashes, and so the tree, as they were");
        forked.Inconsistency.ShouldNotBeNull();
        forked.Inconsistency.ShouldContain($"do not rebuild a tree consistent with the cosigned checkpoint of size {cosigned.Size}");
    }

    private async Task<Checkpoint> CosignedAsync(Guid eventId)
    {
        var checkpoint = await broker.WaitForCheckpointAsync(eventId);
        return new Checkpoint(LedgerBroker.Origin, checkpoint["size"]!.GetValue<long>(), Convert.FromBase64String(checkpoint["rootHash"]!.GetValue<string>()));
    }
}
