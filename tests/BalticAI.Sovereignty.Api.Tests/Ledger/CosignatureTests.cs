using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Transparency.Checkpoints;
using BalticAI.Sovereignty.Transparency.Witnessing;

namespace BalticAI.Sovereignty.Api.Tests.Ledger;

[Collection(LedgerCollection.Name)]
public sealed class CosignatureTests(LedgerBroker broker) : IClassFixture<LedgerBroker>
{
    private async Task<(long Size, WitnessVerdict Verdict)> CosignLatestAsync(ECDsa key)
    {
        var latest = await broker.WaitForCheckpointAsync((await broker.AppendAsync(2, "witnessed"))[^1]);
        var keys = (await broker.CreateClient().GetFromJsonAsync<JsonObject>("/.well-known/jwks.json"))!["keys"]!.AsArray().Select(k => k!.AsObject()).ToList();
        var witness = new WitnessClient(LedgerBroker.WitnessName, key, LedgerBroker.Origin, keys, TimeProvider.System);
        return (latest["size"]!.GetValue<long>(), witness.Cosign(latest["note"]!.GetValue<string>(), null, []));
    }

    private static StringContent Lines(string body) => new(body, Encoding.UTF8, "text/plain");

    [Fact]
    public async Task A_registered_witness_cosignature_is_published_with_the_checkpoint()
    {
        var (size, verdict) = await CosignLatestAsync(broker.WitnessKey);
        verdict.Accepted.ShouldBeTrue(verdict.Reason);
        var regulator = broker.ClientFor(TestTenants.PlUodo, Roles.Regulator);

        var response = await regulator.PostAsync($"/ledger/checkpoints/{size}/cosignatures", Lines(verdict.Cosignature!.Line + "\n"));
        var checkpoint = await broker.CreateClient().GetFromJsonAsync<JsonObject>($"/ledger/checkpoints/{size}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var note = checkpoint!["note"]!.GetValue<string>();
        note.ShouldEndWith(verdict.Cosignature.Line + "\n");
        SignedNote.TryParse(note, out var parsed).ShouldBeTrue();
        parsed.Signatures.Count.ShouldBe(2);
        var keys = (await broker.CreateClient().GetFromJsonAsync<JsonObject>("/.well-known/jwks.json"))!["keys"]!.AsArray().Select(k => k!.AsObject());
        CheckpointSigning.TryVerify(note, LedgerBroker.Origin, keys, out _, out var error).ShouldBeTrue(error);
    }

    [Fact]
    public async Task The_witness_listing_shows_each_registered_witness_with_the_largest_checkpoint_it_cosigned_and_how_far_it_trails()
    {
        var (size, verdict) = await CosignLatestAsync(broker.WitnessKey);
        var regulator = broker.ClientFor(TestTenants.PlUodo, Roles.Regulator);
        (await regulator.PostAsync($"/ledger/checkpoints/{size}/cosignatures", Lines(verdict.Cosignature!.Line + "\n"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        var later = (await broker.WaitForCheckpointAsync((await broker.AppendAsync(3, "after-cosignature"))[^1]))["size"]!.GetValue<long>();

        var witnesses = (await broker.CreateClient().GetFromJsonAsync<JsonArray>("/ledger/witnesses"))!;

        var witness = witnesses.ShouldHaveSingleItem()!;
        witness["name"]!.GetValue<string>().ShouldBe(LedgerBroker.WitnessName);
        witness["publicKey"]!.GetValue<string>().ShouldBe(Convert.ToBase64String(broker.WitnessKey.ExportSubjectPublicKeyInfo()));
        witness["latestCosigned"]!.GetValue<long>().ShouldBeGreaterThanOrEqualTo(size);
        var latest = (await broker.CreateClient().GetFromJsonAsync<JsonObject>("/ledger/checkpoints/latest"))!["size"]!.GetValue<long>();
        latest.ShouldBeGreaterThanOrEqualTo(later);
        witness["entriesBehind"]!.GetValue<long>().ShouldBe(latest - witness["latestCosigned"]!.GetValue<long>());
        witness["entriesBehind"]!.GetValue<long>().ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task A_cosignature_by_another_key_or_for_another_checkpoint_is_rejected()
    {
        using var impostor = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (size, forged) = await CosignLatestAsync(impostor);
        var regulator = broker.ClientFor(TestTenants.PlUodo, Roles.Regulator);

        var wrongKey = await regulator.PostAsync($"/ledger/checkpoints/{size}/cosignatures", Lines(forged.Cosignature!.Line));
        var (_, genuine) = await CosignLatestAsync(broker.WitnessKey);
        var wrongCheckpoint = await regulator.PostAsync($"/ledger/checkpoints/{size}/cosignatures", Lines(genuine.Cosignature!.Line));
        var garbage = await regulator.PostAsync($"/ledger/checkpoints/{size}/cosignatures", Lines("not a line"));
        var missing = await regulator.PostAsync("/ledger/checkpoints/987654/cosignatures", Lines(genuine.Cosignature.Line));

        wrongKey.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        wrongCheckpoint.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        garbage.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_replayed_older_cosignature_does_not_replace_a_newer_one()
    {
        var latest = await broker.WaitForCheckpointAsync((await broker.AppendAsync(2, "replayed"))[^1]);
        var size = latest["size"]!.GetValue<long>();
        var note = latest["note"]!.GetValue<string>();
        var keys = (await broker.CreateClient().GetFromJsonAsync<JsonObject>("/.well-known/jwks.json"))!["keys"]!.AsArray().Select(k => k!.AsObject()).ToList();
        NoteSignature Cosign(DateTimeOffset at) =>
            new WitnessClient(LedgerBroker.WitnessName, broker.WitnessKey, LedgerBroker.Origin, keys, new FixedClock(at)).Cosign(note, null, []).Cosignature!;
        var older = Cosign(DateTimeOffset.UtcNow.AddHours(-1));
        var newer = Cosign(DateTimeOffset.UtcNow);
        var regulator = broker.ClientFor(TestTenants.PlUodo, Roles.Regulator);

        (await regulator.PostAsync($"/ledger/checkpoints/{size}/cosignatures", Lines(newer.Line))).StatusCode.ShouldBe(HttpStatusCode.OK);
        var again = await regulator.PostAsync($"/ledger/checkpoints/{size}/cosignatures", Lines(newer.Line));
        var replayed = await regulator.PostAsync($"/ledger/checkpoints/{size}/cosignatures", Lines(older.Line));
        var published = await broker.CreateClient().GetFromJsonAsync<JsonObject>($"/ledger/checkpoints/{size}");

        again.StatusCode.ShouldBe(HttpStatusCode.OK);
        replayed.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        published!["cosignatures"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe([newer.Line]);
    }

    [Fact]
    public async Task A_body_that_is_not_text_or_too_long_is_415_or_413_and_publishes_nothing()
    {
        var (size, verdict) = await CosignLatestAsync(broker.WitnessKey);
        var regulator = broker.ClientFor(TestTenants.PlUodo, Roles.Regulator);

        var json = await regulator.PostAsync($"/ledger/checkpoints/{size}/cosignatures", new StringContent(verdict.Cosignature!.Line, Encoding.UTF8, "application/json"));
        var huge = await regulator.PostAsync($"/ledger/checkpoints/{size}/cosignatures", Lines(verdict.Cosignature.Line + "\n" + new string(' ', 20_000)));
        var published = await broker.CreateClient().GetFromJsonAsync<JsonObject>($"/ledger/checkpoints/{size}");

        json.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        huge.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        json.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        published!["cosignatures"]!.AsArray().ShouldBeEmpty();
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [Fact]
    public async Task Only_regulators_may_post_cosignatures()
    {
        var (size, verdict) = await CosignLatestAsync(broker.WitnessKey);

        var anonymous = await broker.CreateClient().PostAsync($"/ledger/checkpoints/{size}/cosignatures", Lines(verdict.Cosignature!.Line));
        var owner = await broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner).PostAsync($"/ledger/checkpoints/{size}/cosignatures", Lines(verdict.Cosignature.Line));

        anonymous.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        owner.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
