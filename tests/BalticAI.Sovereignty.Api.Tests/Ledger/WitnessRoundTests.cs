using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Transparency.Checkpoints;
using BalticAI.Sovereignty.Transparency.Witnessing;

namespace BalticAI.Sovereignty.Api.Tests.Ledger;

/// <summary>The witness a regulator inbox runs, against a live broker: cosign what extends, refuse a fork.</summary>
[Collection(LedgerCollection.Name)]
public sealed class WitnessRoundTests(LedgerBroker broker) : IClassFixture<LedgerBroker>
{
    private sealed class Memory : IWitnessMemory
    {
        public List<Checkpoint> Cosigned { get; } = [];

        public Task<Checkpoint?> LastCosignedAsync(CancellationToken ct) => Task.FromResult(Cosigned.LastOrDefault());

        public Task RememberAsync(Checkpoint cosigned, string note, CancellationToken ct)
        {
            Cosigned.Add(cosigned);
            return Task.CompletedTask;
        }
    }

    private WitnessRound Round(Memory memory) => new(broker.CreateClient(), LedgerBroker.WitnessName, broker.WitnessKey, LedgerBroker.Origin, memory,
        _ => ValueTask.FromResult(broker.Token(TestTenants.PlUodo, Roles.Regulator)), TimeProvider.System);

    private async Task<JsonObject> CheckpointAsync(long size) =>
        (await broker.CreateClient().GetFromJsonAsync<JsonObject>($"/ledger/checkpoints/{size}"))!;

    [Fact]
    public async Task Each_checkpoint_that_extends_the_last_one_is_cosigned_and_published()
    {
        var memory = new Memory();
        await broker.WaitForCheckpointAsync((await broker.AppendAsync(3, "first"))[^1]);
        var first = await Round(memory).RunAsync(CancellationToken.None);
        await broker.WaitForCheckpointAsync((await broker.AppendAsync(5, "second"))[^1]);

        var second = await Round(memory).RunAsync(CancellationToken.None);
        var again = await Round(memory).RunAsync(CancellationToken.None);

        first.Outcome.ShouldBe(WitnessOutcome.Cosigned, first.Reason);
        second.Outcome.ShouldBe(WitnessOutcome.Cosigned, second.Reason);
        second.Size.ShouldBeGreaterThan(first.Size);
        again.Outcome.ShouldBe(WitnessOutcome.NothingNew);
        memory.Cosigned.Select(c => c.Size).ShouldBe([first.Size, second.Size]);
        foreach (var size in new[] { first.Size, second.Size })
        {
            var checkpoint = await CheckpointAsync(size);
            checkpoint["cosignatures"]!.AsArray().Count.ShouldBe(1);
            checkpoint["note"]!.GetValue<string>().ShouldContain("— " + LedgerBroker.WitnessName + " ");
        }
    }

    [Fact]
    public async Task A_history_that_does_not_extend_the_cosigned_one_is_refused_and_stays_refused()
    {
        var latest = await broker.WaitForCheckpointAsync((await broker.AppendAsync(4, "forked"))[^1]);
        var size = latest["size"]!.GetValue<long>();
        // What another country might have been shown: the same size with another root.
        var memory = new Memory();
        memory.Cosigned.Add(new Checkpoint(LedgerBroker.Origin, size - 1, new byte[32]));
        var cosignaturesBefore = (await CheckpointAsync(size))["cosignatures"]!.AsArray().Count;

        var refused = await Round(memory).RunAsync(CancellationToken.None);
        var refusedAgain = await Round(memory).RunAsync(CancellationToken.None);

        refused.Outcome.ShouldBe(WitnessOutcome.Refused);
        refused.Reason.ShouldContain("not consistent");
        refusedAgain.Outcome.ShouldBe(WitnessOutcome.Refused);
        memory.Cosigned.Count.ShouldBe(1);
        (await CheckpointAsync(size))["cosignatures"]!.AsArray().Count.ShouldBe(cosignaturesBefore);
    }

    [Fact]
    public async Task A_tree_smaller_than_the_cosigned_one_is_refused()
    {
        await broker.WaitForCheckpointAsync((await broker.AppendAsync(2, "shrunk"))[^1]);
        var memory = new Memory();
        memory.Cosigned.Add(new Checkpoint(LedgerBroker.Origin, 1_000_000, new byte[32]));

        var refused = await Round(memory).RunAsync(CancellationToken.None);

        refused.Outcome.ShouldBe(WitnessOutcome.Refused);
        refused.Reason.ShouldContain("shrank");
    }
}
