using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Security;
using BalticAI.Sovereignty.Transparency.Checkpoints;
using Microsoft.Extensions.DependencyInjection;

namespace BalticAI.Sovereignty.Api.Tests.Ledger;

/// <summary>An idle ledger's latest checkpoint follows the signing key: nothing is appended after the rotation.</summary>
[Collection(LedgerCollection.Name)]
public sealed class CheckpointRenewalTests(LedgerBroker broker) : IClassFixture<LedgerBroker>
{
    [Fact]
    public async Task After_a_rotation_the_latest_checkpoint_of_an_idle_ledger_is_signed_by_the_new_key_at_the_same_size()
    {
        var covering = await broker.WaitForCheckpointAsync((await broker.AppendAsync(3, "before-rotation"))[^1]);
        var size = covering["size"]!.GetValue<long>();
        var before = await LatestAsync();
        before["size"]!.GetValue<long>().ShouldBe(size);
        var oldKey = (await KeysAsync())[0];

        var ring = (LocalKeyRing)broker.Services.GetRequiredService<ISigner>();
        ring.Rotate();
        var newKey = (await KeysAsync())[0];
        newKey["kid"]!.GetValue<string>().ShouldNotBe(oldKey["kid"]!.GetValue<string>());

        var after = await WaitForNoteVerifyingWithAsync(newKey);
        after["size"]!.GetValue<long>().ShouldBe(size);
        after["rootHash"]!.GetValue<string>().ShouldBe(before["rootHash"]!.GetValue<string>());
        var note = after["note"]!.GetValue<string>();
        // The previous key is still published, so its signature stays beside the new one.
        CheckpointSigning.TryVerify(note, LedgerBroker.Origin, [oldKey], out _, out var oldError).ShouldBeTrue(oldError);
        (await broker.ExportAndVerifyAsync()).Problems.ShouldBeEmpty();
    }

    private async Task<JsonObject> WaitForNoteVerifyingWithAsync(JsonObject key)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var latest = await LatestAsync();
            if (CheckpointSigning.TryVerify(latest["note"]!.GetValue<string>(), LedgerBroker.Origin, [key], out _, out _))
            {
                return latest;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("the latest checkpoint was not signed by the new key within 30 s");
    }

    private async Task<JsonObject> LatestAsync() =>
        (await broker.CreateClient().GetFromJsonAsync<JsonObject>("/ledger/checkpoints/latest"))!;

    private async Task<List<JsonObject>> KeysAsync() =>
        (await broker.CreateClient().GetFromJsonAsync<JsonObject>("/.well-known/jwks.json"))!["keys"]!.AsArray().Select(k => k!.AsObject()).ToList();
}
