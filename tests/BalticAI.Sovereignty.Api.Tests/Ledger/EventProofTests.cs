using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Transparency.Checkpoints;
using BalticAI.Sovereignty.Transparency.Verification;
using BalticAI.Sovereignty.Transparency.Witnessing;

namespace BalticAI.Sovereignty.Api.Tests.Ledger;

/// <summary>`balticai ledger prove`: one event proven in the log over the public routes alone, as an auditor holding its id would.</summary>
[Collection(LedgerCollection.Name)]
public sealed class EventProofTests(LedgerBroker broker) : IClassFixture<LedgerBroker>
{
    [Fact]
    public async Task An_event_is_proven_in_a_checkpoint_the_log_signed()
    {
        var events = await broker.AppendAsync(3, "proven");
        await broker.WaitForCheckpointAsync(events[^1]);

        var result = await ProveAsync(events[1], await LogKeysAsync(), null);

        result.Proven.ShouldBeTrue(result.Reason);
        result.Leaf!.EventId.ShouldBe(events[1]);
        result.Leaf.EventType.ShouldBe("ledger_test_event");
        result.CheckpointSize!.Value.ShouldBeGreaterThan(result.Leaf.Index);
        result.Cosigners.ShouldBeEmpty();
    }

    [Fact]
    public async Task With_a_witness_policy_the_entry_is_proven_in_the_first_checkpoint_the_witnesses_cosigned()
    {
        var witnessed = new WitnessPolicy([EcdsaNoteKey.FromSubjectPublicKeyInfo(LedgerBroker.WitnessName, WitnessKeyText(broker.WitnessKey))], 1);
        var early = (await broker.AppendAsync(1, "early"))[0];
        var covering = await broker.WaitForCheckpointAsync(early);

        var before = await ProveAsync(early, await LogKeysAsync(), witnessed);

        before.Proven.ShouldBeFalse();
        before.Pending.ShouldBeTrue();
        before.Reason.ShouldContain("no checkpoint covering the entry is cosigned by 1 of the 1 witnesses given");

        var later = await broker.WaitForCheckpointAsync((await broker.AppendAsync(2, "later"))[^1]);
        later["size"]!.GetValue<long>().ShouldBeGreaterThan(covering["size"]!.GetValue<long>());
        await CosignAsync(later, broker.WitnessKey);

        var after = await ProveAsync(early, await LogKeysAsync(), witnessed);

        after.Proven.ShouldBeTrue(after.Reason);
        after.CheckpointSize.ShouldBe(later["size"]!.GetValue<long>());
        after.Cosigners.ShouldBe([LedgerBroker.WitnessName]);
    }

    [Fact]
    public async Task A_cosignature_by_another_key_than_the_auditor_holds_for_the_witness_does_not_count()
    {
        var id = (await broker.AppendAsync(1, "cosigned"))[0];
        var checkpoint = await broker.WaitForCheckpointAsync(id);
        await CosignAsync(checkpoint, broker.WitnessKey);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var misinformed = new WitnessPolicy([EcdsaNoteKey.FromSubjectPublicKeyInfo(LedgerBroker.WitnessName, WitnessKeyText(other))], 1);

        var result = await ProveAsync(id, await LogKeysAsync(), misinformed);

        result.Proven.ShouldBeFalse();
        result.Reason.ShouldContain("by none of them");
    }

    [Fact]
    public async Task A_cosignature_line_copied_from_another_checkpoint_is_named_not_counted()
    {
        var first = await broker.WaitForCheckpointAsync((await broker.AppendAsync(1, "first"))[0]);
        await CosignAsync(first, broker.WitnessKey);
        var id = (await broker.AppendAsync(1, "copied"))[0];
        var second = await broker.WaitForCheckpointAsync(id);
        // Only someone with the database could do this: the broker verifies each cosignature it is sent.
        await broker.ExecuteAsync($"""
            insert into {"{schema}"}.ledger_cosignatures (size, witness, line)
            select {second["size"]}, witness, line from {"{schema}"}.ledger_cosignatures where size = {first["size"]}
            """);
        var witnessed = new WitnessPolicy([EcdsaNoteKey.FromSubjectPublicKeyInfo(LedgerBroker.WitnessName, WitnessKeyText(broker.WitnessKey))], 1);

        var result = await ProveAsync(id, await LogKeysAsync(), witnessed);

        result.Proven.ShouldBeFalse();
        result.Reason.ShouldBe($"checkpoint {second["size"]}: the cosignature of {LedgerBroker.WitnessName} does not verify");
    }

    [Fact]
    public async Task A_checkpoint_not_signed_by_the_pinned_keys_an_unknown_event_and_a_changed_row_are_not_proven()
    {
        var events = await broker.AppendAsync(2, "refused");
        await broker.WaitForCheckpointAsync(events[^1]);
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var point = stranger.ExportParameters(includePrivateParameters: false).Q;
        var strangerKey = BalticAI.Sovereignty.Security.LocalKeyRing.PublicJwk("stranger",
            System.Buffers.Text.Base64Url.EncodeToString(point.X), System.Buffers.Text.Base64Url.EncodeToString(point.Y));

        var unsigned = await ProveAsync(events[0], [strangerKey], null);
        var unknown = await ProveAsync(Guid.NewGuid(), await LogKeysAsync(), null);
        await broker.ExecuteAsync($$"""update {schema}.mt_events set data = jsonb_set(data, '{name}', '"changed"') where id = '{{events[1]}}'""");
        var changed = await ProveAsync(events[1], await LogKeysAsync(), null);

        unsigned.Proven.ShouldBeFalse();
        unsigned.Reason.ShouldContain("not signed by the log's keys");
        unknown.Proven.ShouldBeFalse();
        unknown.Pending.ShouldBeFalse();
        unknown.Reason.ShouldContain("the broker's log holds no event");
        changed.Proven.ShouldBeFalse();
        changed.Pending.ShouldBeFalse();
        changed.Reason.ShouldContain("differs from what the tree recorded");
    }

    [Fact]
    public async Task Waiting_for_the_witnesses_proves_a_fresh_event_once_they_cosign_a_checkpoint_that_covers_it()
    {
        var witnessed = new WitnessPolicy([EcdsaNoteKey.FromSubjectPublicKeyInfo(LedgerBroker.WitnessName, WitnessKeyText(broker.WitnessKey))], 1);
        var id = (await broker.AppendAsync(1, "awaited"))[0];

        var waiting = EventProof.ProveWaitingAsync(broker.CreateClient(), id, await LogKeysAsync(), null, witnessed,
            TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200), TimeProvider.System, CancellationToken.None);
        await CosignAsync(await broker.WaitForCheckpointAsync(id), broker.WitnessKey);
        var result = await waiting;

        result.Proven.ShouldBeTrue(result.Reason);
        result.Cosigners.ShouldBe([LedgerBroker.WitnessName]);
        // An id the broker never recorded is not waited for: the wait would outlast the token, which would throw.
        using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var unknown = await EventProof.ProveWaitingAsync(broker.CreateClient(), Guid.NewGuid(), await LogKeysAsync(), null, null,
            TimeSpan.FromMinutes(10), TimeSpan.FromMilliseconds(200), TimeProvider.System, bounded.Token);
        unknown.Pending.ShouldBeFalse();
        unknown.Reason.ShouldContain("the broker's log holds no event");
    }

    [Fact]
    public async Task A_kept_proof_is_checked_again_without_the_broker_and_a_changed_one_is_not()
    {
        var id = (await broker.AppendAsync(1, "kept"))[0];
        await broker.WaitForCheckpointAsync(id);
        var keys = await LogKeysAsync();
        var proven = await EventProof.ProveAsync(broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor), id, keys, null, null, CancellationToken.None);
        proven.Proven.ShouldBeTrue(proven.Reason);

        var kept = EventProofBundle.Read(proven.Bundle!.Write());
        var again = EventProof.Verify(kept, kept.Keys, null, null);

        again.Proven.ShouldBeTrue(again.Reason);
        again.CheckpointSize.ShouldBe(proven.CheckpointSize);
        kept.Data!["name"]!.GetValue<string>().ShouldBe("kept");
        EventProof.Verify(kept with { Data = JsonNode.Parse("""{"name":"changed","number":0}""") }, keys, null, null)
            .Reason.ShouldContain("the event data in the proof is not what its leaf digests");
        var path = kept.Inclusion.ToList();
        if (path.Count > 0)
        {
            path[0] = Convert.ToBase64String(new byte[32]);
            EventProof.Verify(kept with { Inclusion = path }, keys, null, null).Reason.ShouldContain("its inclusion proof fails");
        }
        EventProof.Verify(kept with { Checkpoint = kept.Checkpoint.Replace("\n\n", "\n\n— someone AAAAAAAA\n") }, keys, null, null).Proven.ShouldBeTrue();
        EventProof.Verify(kept with { Entry = kept.Entry with { Index = kept.Entry.Index + 1 } }, keys, null, null).Proven.ShouldBeFalse();
        Should.Throw<InvalidDataException>(() => EventProofBundle.Read("""{"format":"balticai-event-proof/v0"}"""));
    }

    private Task<EventProofResult> ProveAsync(Guid id, IReadOnlyList<JsonObject> keys, WitnessPolicy? witnesses) =>
        EventProof.ProveAsync(broker.CreateClient(), id, keys, null, witnesses, CancellationToken.None);

    private async Task<List<JsonObject>> LogKeysAsync() =>
        (await broker.CreateClient().GetFromJsonAsync<JsonObject>("/.well-known/jwks.json"))!["keys"]!.AsArray().Select(k => k!.AsObject()).ToList();

    private static string WitnessKeyText(ECDsa key) => Convert.ToBase64String(key.ExportSubjectPublicKeyInfo());

    private async Task CosignAsync(JsonObject checkpoint, ECDsa key)
    {
        var witness = new WitnessClient(LedgerBroker.WitnessName, key, LedgerBroker.Origin, await LogKeysAsync(), TimeProvider.System);
        var verdict = witness.Cosign(checkpoint["note"]!.GetValue<string>(), null, []);
        verdict.Accepted.ShouldBeTrue(verdict.Reason);
        var response = await broker.ClientFor(TestTenants.PlUodo, Roles.Regulator).PostAsync(
            $"/ledger/checkpoints/{checkpoint["size"]}/cosignatures", new StringContent(verdict.Cosignature!.Line + "\n", Encoding.UTF8, "text/plain"));
        response.EnsureSuccessStatusCode();
    }
}
