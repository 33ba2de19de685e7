using BalticAI.Sovereignty.Transparency.Checkpoints;
using BalticAI.Sovereignty.Transparency.Witnessing;

namespace BalticAI.Sovereignty.Api.Tests.Ledger;

/// <summary>A regulator's witness proves that the events its feed carried are in the history it cosigned.</summary>
[Collection(LedgerCollection.Name)]
public sealed class InclusionCheckTests(LedgerBroker broker) : IClassFixture<LedgerBroker>
{
    private InclusionCheck Check => new(broker.CreateClient());

    [Fact]
    public async Task An_event_is_proven_in_the_cosigned_checkpoint_and_a_later_one_is_not_yet()
    {
        var events = await broker.AppendAsync(3, "sent", Tampering.Ministry);
        var cosigned = await CosignedAsync(events[^1]);
        var later = await broker.AppendAsync(1, "later", Tampering.Ministry);
        await broker.WaitForCheckpointAsync(later[0]);

        var proven = await Check.CheckAsync(events[1], cosigned, CancellationToken.None);
        var beyond = await Check.CheckAsync(later[0], cosigned, CancellationToken.None);
        var unknown = await Check.CheckAsync(Guid.NewGuid(), cosigned, CancellationToken.None);

        proven.Outcome.ShouldBe(InclusionOutcome.Proven, proven.Reason);
        proven.Index.ShouldBe((await broker.Ledger.FindByEventAsync(events[1], CancellationToken.None))!.Value.Index);
        beyond.Outcome.ShouldBe(InclusionOutcome.NotYet);
        beyond.Reason.ShouldContain("beyond the cosigned checkpoint");
        unknown.Outcome.ShouldBe(InclusionOutcome.NotYet);
    }

    [Fact]
    public async Task A_changed_row_and_a_root_the_witness_never_cosigned_are_problems()
    {
        var events = await broker.AppendAsync(2, "sent", Tampering.Ministry);
        var cosigned = await CosignedAsync(events[^1]);
        var other = cosigned with { RootHash = new byte[32] };

        var forkedRoot = await Check.CheckAsync(events[0], other, CancellationToken.None);
        var sequence = (await broker.Ledger.FindByEventAsync(events[1], CancellationToken.None))!.Value.Sequence;
        await broker.ExecuteAsync($$"""update {schema}.mt_events set headers = jsonb_set(headers, '{actor_org}', '"pl-uodo"') where seq_id = {{sequence}}""");
        var changed = await Check.CheckAsync(events[1], cosigned, CancellationToken.None);

        forkedRoot.Outcome.ShouldBe(InclusionOutcome.Problem);
        forkedRoot.Reason.ShouldContain("its inclusion proof fails");
        changed.Outcome.ShouldBe(InclusionOutcome.Problem);
        changed.Reason.ShouldBe("the event's row differs from what the tree recorded");
    }

    /// <summary>The broker's checkpoint covering <paramref name="eventId"/>, as a witness that checked it would keep it.</summary>
    private async Task<Checkpoint> CosignedAsync(Guid eventId)
    {
        var checkpoint = await broker.WaitForCheckpointAsync(eventId);
        return new Checkpoint(LedgerBroker.Origin, checkpoint["size"]!.GetValue<long>(), Convert.FromBase64String(checkpoint["rootHash"]!.GetValue<string>()));
    }
}
