using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Ledger.Checkpointing;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Security;
using BalticAI.Sovereignty.Transparency.Checkpoints;
using BalticAI.Sovereignty.Transparency.Witnessing;
using Microsoft.Extensions.DependencyInjection;

namespace BalticAI.Sovereignty.Api.Tests.Ledger;

/// <summary>
/// A checkpoint keeps the origin it was signed under: witnesses cosigned that text, so neither a cosignature
/// nor a renewal after a key rotation may be judged against whatever `Ledger:Origin` says today.
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class CheckpointOriginTests(LedgerBroker broker) : IClassFixture<LedgerBroker>
{
    private const string PreviousOrigin = "previous.balticai.eu/ledger";

    [Fact]
    public async Task A_checkpoint_signed_under_an_earlier_origin_takes_cosignatures_and_renewals_under_that_origin()
    {
        await WaitForRecordedBundleAsync();
        var covering = await broker.WaitForCheckpointAsync((await broker.AppendAsync(2, "earlier-origin"))[^1]);
        var size = covering["size"]!.GetValue<long>();
        var store = broker.Services.GetRequiredService<CheckpointStore>();
        var stored = (await store.AtSizeAsync(size, CancellationToken.None))!;
        var signer = broker.Services.GetRequiredService<ISigner>();
        var earlier = await CheckpointSigning.SignAsync(new Checkpoint(PreviousOrigin, size, stored.Root), signer, CancellationToken.None);
        (await store.ReplaceNoteAsync(size, stored.Note, earlier.ToString(), CancellationToken.None)).ShouldBeTrue();
        var keys = await KeysAsync();
        var verdict = new WitnessClient(LedgerBroker.WitnessName, broker.WitnessKey, PreviousOrigin, keys, TimeProvider.System)
            .Cosign(earlier.ToString(), null, []);
        verdict.Accepted.ShouldBeTrue(verdict.Reason);

        var cosigned = await broker.ClientFor(TestTenants.PlUodo, Roles.Regulator).PostAsync(
            $"/ledger/checkpoints/{size}/cosignatures", new StringContent(verdict.Cosignature!.Line, Encoding.UTF8, "text/plain"));

        cosigned.StatusCode.ShouldBe(HttpStatusCode.OK);
        ((LocalKeyRing)signer).Rotate();
        var newKey = (await KeysAsync())[0];
        var renewed = await WaitForLatestNoteAsync(note => CheckpointSigning.TryVerify(note, PreviousOrigin, [newKey], out _, out _));
        renewed["size"]!.GetValue<long>().ShouldBe(size);
        renewed["cosignatures"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe([verdict.Cosignature.Line]);
    }

    /// <summary>The bundle in use is recorded at start; once it is, nothing else appends, so this test's checkpoint stays the latest.</summary>
    private async Task WaitForRecordedBundleAsync()
    {
        var client = broker.ClientFor(TestTenants.PlUodo, Roles.Regulator);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await client.GetAsync("/policies/active")).StatusCode != HttpStatusCode.OK)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the bundle in use was not recorded within 30 s");
            }
            await Task.Delay(100);
        }
    }

    private async Task<JsonObject> WaitForLatestNoteAsync(Func<string, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        JsonObject? latest = null;
        while (DateTime.UtcNow < deadline)
        {
            latest = (await broker.CreateClient().GetFromJsonAsync<JsonObject>("/ledger/checkpoints/latest"))!;
            if (condition(latest["note"]!.GetValue<string>()))
            {
                return latest;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"the latest checkpoint was not signed again under its own origin within 30 s: {latest}");
    }

    private async Task<List<JsonObject>> KeysAsync() =>
        (await broker.CreateClient().GetFromJsonAsync<JsonObject>("/.well-known/jwks.json"))!["keys"]!.AsArray().Select(k => k!.AsObject()).ToList();
}
