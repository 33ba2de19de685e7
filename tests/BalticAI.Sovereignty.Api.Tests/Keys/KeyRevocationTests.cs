using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Api.Tests.Ledger;
using BalticAI.Sovereignty.Security.KeyVault;
using BalticAI.Sovereignty.Transparency.Checkpoints;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace BalticAI.Sovereignty.Api.Tests.Keys;

/// <summary>A Key Vault broker that checkpoints quickly and checks for revoked keys often.</summary>
public sealed class KeyVaultLedgerBroker : KeyVaultBrokerFactory
{
    public const string Origin = "kv.test.balticai.eu/ledger";

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Ledger:Origin"] = Origin,
        ["Ledger:CheckpointIntervalSeconds"] = "0.2",
        ["Ledger:CheckpointPollSeconds"] = "0.1",
        ["Signing:RevocationCheckInterval"] = "00:00:00.2",
        ["Signing:KeyVault:RefreshInterval"] = "00:00:01",
    };
}

/// <summary>A revoked key version: the latest checkpoint stops depending on it, and the ledger records the revocation.</summary>
public sealed class KeyRevocationTests(KeyVaultLedgerBroker broker) : IClassFixture<KeyVaultLedgerBroker>
{
    private KeyVaultSigner Signer => broker.Services.GetRequiredService<KeyVaultSigner>();

    [Fact]
    public async Task After_a_revocation_the_latest_checkpoint_of_an_idle_ledger_no_longer_carries_the_revoked_key()
    {
        await AppendAsync();
        var compromised = await Signer.RotateAsync(CancellationToken.None);
        var compromisedKey = (await KeysAsync()).Single(k => k["kid"]!.GetValue<string>() == compromised);
        var signedByCompromised = await WaitForLatestAsync(note => Verifies(note, [compromisedKey]));
        var size = signedByCompromised["size"]!.GetValue<long>();

        await Signer.RevokeAsync(compromised, CancellationToken.None);
        var revoked = JsonNode.Parse(await broker.CreateClient().GetStringAsync("/.well-known/revoked-keys.json"))!["revoked"]!.AsArray()
            .Single(r => r!["kid"]!.GetValue<string>() == compromised)!["jwk"]!.AsObject();
        var revokedNoteKey = EcdsaNoteKey.FromJwk(KeyVaultLedgerBroker.Origin, revoked);
        var published = await KeysAsync();

        var renewed = await WaitForLatestAsync(note =>
            SignedNote.TryParse(note, out var parsed) && !parsed.Signatures.Any(revokedNoteKey.Matches) && Verifies(note, published));

        // The revocation is itself recorded in the ledger, so the latest checkpoint is either the idle one
        // re-signed (same size and root) or a newer one covering the revocation event, signed by the active
        // key; CheckpointRenewalTests shows the re-signing of an idle ledger on its own.
        var renewedSize = renewed["size"]!.GetValue<long>();
        renewedSize.ShouldBeGreaterThanOrEqualTo(size);
        if (renewedSize == size)
        {
            renewed["rootHash"]!.GetValue<string>().ShouldBe(signedByCompromised["rootHash"]!.GetValue<string>());
        }
        else
        {
            var older = JsonNode.Parse(await broker.CreateClient().GetStringAsync($"/ledger/checkpoints/{size}"))!;
            older["rootHash"]!.GetValue<string>().ShouldBe(signedByCompromised["rootHash"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task A_revocation_is_recorded_once_in_the_ledger_and_found_by_type()
    {
        var compromised = await Signer.RotateAsync(CancellationToken.None);
        await Signer.RevokeAsync(compromised, CancellationToken.None);
        var auditor = LedgerEventsApi.Auditor(broker);

        var items = await LedgerEventsApi.WaitForAsync(auditor, "?type=BrokerSigningKeyRevoked",
            found => found.Any(i => i["data"]!["kid"]!.GetValue<string>() == compromised));
        var byAlias = LedgerEventsApi.Items(await LedgerEventsApi.PageAsync(auditor, "?type=broker_signing_key_revoked"));

        var revocation = items.Single(i => i["data"]!["kid"]!.GetValue<string>() == compromised);
        LedgerEventsApi.Type(revocation).ShouldBe("broker_signing_key_revoked");
        revocation["data"]!["reason"]!.GetValue<string>().ShouldBe("disabled-in-key-store");
        revocation["data"]!["revokedAt"].ShouldNotBeNull();
        revocation["countries"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe(["PL", "EE", "LT", "LV"], ignoreOrder: true);
        revocation["actor"]!["organisation"]!.GetValue<string>().ShouldBe("balticai-broker");
        byAlias.Count(i => i["data"]!["kid"]!.GetValue<string>() == compromised).ShouldBe(1);
        var regulator = broker.ClientFor(TestTenants.LvDvi, Roles.Regulator);
        LedgerEventsApi.Items(await LedgerEventsApi.PageAsync(regulator, "?type=BrokerSigningKeyRevoked"))
            .ShouldContain(i => i["data"]!["kid"]!.GetValue<string>() == compromised);
    }

    [Fact]
    public async Task A_revoked_version_updated_later_in_the_key_store_keeps_the_revocation_time_the_ledger_recorded()
    {
        var compromised = await Signer.RotateAsync(CancellationToken.None);
        await Signer.RevokeAsync(compromised, CancellationToken.None);
        var recorded = (await LedgerEventsApi.WaitForAsync(LedgerEventsApi.Auditor(broker), "?type=BrokerSigningKeyRevoked",
            found => found.Any(i => i["data"]!["kid"]!.GetValue<string>() == compromised)))
            .Single(i => i["data"]!["kid"]!.GetValue<string>() == compromised)["data"]!["revokedAt"]!.GetValue<DateTimeOffset>();

        // Key Vault dates by the second: a tag set a little over a second later moves the version's `updated`.
        await Task.Delay(TimeSpan.FromMilliseconds(1100));
        broker.Vault.Retag(KeyVaultBrokerFactory.KeyName, compromised.Split('/')[^1]);
        var storeSays = await WaitForStoreAsync(compromised, at => at > recorded);
        var listed = JsonNode.Parse(await broker.CreateClient().GetStringAsync("/.well-known/revoked-keys.json"))!["revoked"]!.AsArray()
            .Single(r => r!["kid"]!.GetValue<string>() == compromised)!["revokedAt"]!.GetValue<DateTimeOffset>();

        storeSays.ShouldBeGreaterThan(recorded);
        listed.ShouldBe(recorded);
    }

    /// <summary>Waits until the broker's key store view dates <paramref name="kid"/>'s revocation as <paramref name="accept"/> wants.</summary>
    private async Task<DateTimeOffset> WaitForStoreAsync(string kid, Func<DateTimeOffset, bool> accept)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var at = (await Signer.GetRevokedKeysAsync(CancellationToken.None)).Single(r => r.KeyId == kid).RevokedAt;
            if (accept(at))
            {
                return at;
            }
            DateTime.UtcNow.ShouldBeLessThan(deadline, $"the key store still dates {kid}'s revocation {at:O}");
            await Task.Delay(100);
        }
    }

    private static bool Verifies(string note, List<JsonObject> keys) =>
        CheckpointSigning.TryVerify(note, KeyVaultLedgerBroker.Origin, keys, out _, out _);

    private async Task AppendAsync()
    {
        await using var session = broker.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        session.Events.StartStream(Guid.NewGuid(), new LedgerTestEvent("kv", 1));
        await session.SaveChangesAsync();
    }

    private async Task<JsonObject> WaitForLatestAsync(Func<string, bool> accept)
    {
        var client = broker.CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var response = await client.GetAsync("/ledger/checkpoints/latest");
            if (response.IsSuccessStatusCode && await response.Content.ReadFromJsonAsync<JsonObject>() is { } latest && accept(latest["note"]!.GetValue<string>()))
            {
                return latest;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("the latest checkpoint did not reach the expected signatures within 30 s");
    }

    private async Task<List<JsonObject>> KeysAsync() =>
        (await broker.CreateClient().GetFromJsonAsync<JsonObject>("/.well-known/jwks.json"))!["keys"]!.AsArray().Select(k => k!.AsObject()).ToList();
}
