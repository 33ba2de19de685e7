using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Transparency.Checkpoints;
using BalticAI.Sovereignty.Transparency.Verification;
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
        unknown.Outcome.ShouldBe(InclusionOutcome.Problem);
        unknown.Reason.ShouldBe("the broker's log does not hold the event, and no such event is recorded past its tree");
    }

    [Fact]
    public async Task An_event_recorded_past_the_tree_is_waited_for_by_the_route_the_witness_and_the_proof()
    {
        var before = await broker.AppendAsync(1, "before");
        var cosigned = await CosignedAsync(before[0]);
        Guid pending;
        await using (var connection = await broker.Ledger.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            // The tree builder cannot add a leaf while this lock is held; reads of the tree go on.
            await using (var lockLeaves = new Npgsql.NpgsqlCommand($"lock table {broker.Ledger.Table("ledger_leaves")} in exclusive mode", connection, transaction))
            {
                await lockLeaves.ExecuteNonQueryAsync();
            }
            pending = (await broker.AppendAsync(1, "pending"))[0];

            var response = await broker.CreateClient().GetAsync($"/ledger/entries/by-event/{pending}");
            var verdict = await Check.CheckAsync(pending, cosigned, CancellationToken.None);
            var proof = await EventProof.ProveAsync(broker.CreateClient(), pending, [], null, null, CancellationToken.None);

            response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            response.Headers.RetryAfter.ShouldNotBeNull();
            (await response.Content.ReadFromJsonAsync<JsonObject>())!["title"]!.GetValue<string>().ShouldBe("Not in the ledger yet");
            verdict.Outcome.ShouldBe(InclusionOutcome.NotYet);
            proof.Pending.ShouldBeTrue(proof.Reason);
            await transaction.RollbackAsync();
        }

        var later = await CosignedAsync(pending);
        (await Check.CheckAsync(pending, later, CancellationToken.None)).Outcome.ShouldBe(InclusionOutcome.Proven);
    }

    [Fact]
    public async Task An_event_never_recorded_is_404_without_a_time_to_retry()
    {
        var response = await broker.CreateClient().GetAsync($"/ledger/entries/by-event/{Guid.NewGuid()}");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Headers.RetryAfter.ShouldBeNull();
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        problem["title"]!.GetValue<string>().ShouldBe("Not in the ledger");
        problem["detail"]!.GetValue<string>().ShouldContain("balticai ledger missing");
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
