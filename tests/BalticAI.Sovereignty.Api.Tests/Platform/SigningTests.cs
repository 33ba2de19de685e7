using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Security;
using Microsoft.Extensions.DependencyInjection;

namespace BalticAI.Sovereignty.Api.Tests.Platform;

public sealed class SigningTests(BrokerFactory broker) : IClassFixture<BrokerFactory>
{
    [Fact]
    public async Task Jwks_is_public_and_holds_only_public_key_material()
    {
        var response = await broker.CreateClient().GetAsync("/.well-known/jwks.json");
        var keys = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["keys"]!.AsArray();

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        keys.Count.ShouldBeGreaterThan(0);
        foreach (var key in keys)
        {
            key!["kty"]!.GetValue<string>().ShouldBe("EC");
            key["alg"]!.GetValue<string>().ShouldBe("ES256");
            key.AsObject().ContainsKey("d").ShouldBeFalse();
        }
    }

    [Fact]
    public async Task What_the_broker_signs_verifies_with_the_published_keys()
    {
        var signer = broker.Services.GetRequiredService<ISigner>();
        var payload = Encoding.UTF8.GetBytes("""{"decision":"allow"}""");

        var jws = await Jws.SignCompactAsync(signer, payload, "JWT", CancellationToken.None);
        var keys = await PublishedKeysAsync();

        Jws.TryVerify(jws, keys, default, out var verified, out _).ShouldBeTrue();
        verified.ShouldBe(payload);
        var tampered = jws[..^4] + (jws[^4] == 'A' ? "B" : "A") + jws[^3..];
        Jws.TryVerify(tampered, keys, default, out _, out _).ShouldBeFalse();
    }

    [Fact]
    public async Task Detached_signature_verifies_only_with_the_same_payload()
    {
        var signer = broker.Services.GetRequiredService<ISigner>();
        var jws = await Jws.SignDetachedAsync(signer, "envelope"u8.ToArray(), null, CancellationToken.None);
        var keys = await PublishedKeysAsync();

        jws.Split('.')[1].ShouldBeEmpty();
        Jws.TryVerify(jws, keys, "envelope"u8, out _, out _).ShouldBeTrue();
        Jws.TryVerify(jws, keys, "envelopE"u8, out _, out _).ShouldBeFalse();
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Signing_keys_are_stored_owner_only()
    {
        await broker.CreateClient().GetAsync("/.well-known/jwks.json");

        var files = Directory.GetFiles(broker.SigningKeyDirectory);
        files.ShouldNotBeEmpty();
        foreach (var file in files)
        {
            File.GetUnixFileMode(file).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    [Fact]
    public async Task Rotation_keeps_earlier_signatures_verifiable()
    {
        var directory = Path.Combine(broker.DataDirectory, "rotation");
        using var ring = new LocalKeyRing(directory, TimeProvider.System);
        var before = await Jws.SignCompactAsync(ring, "grant"u8.ToArray(), null, CancellationToken.None);

        var newKid = ring.Rotate();
        var after = await Jws.SignCompactAsync(ring, "grant"u8.ToArray(), null, CancellationToken.None);
        var keys = await ring.GetVerificationKeysAsync(CancellationToken.None);

        keys.Count.ShouldBe(2);
        keys[0]["kid"]!.GetValue<string>().ShouldBe(newKid);
        Jws.TryVerify(before, keys, default, out _, out var oldKid).ShouldBeTrue();
        Jws.TryVerify(after, keys, default, out _, out var usedKid).ShouldBeTrue();
        usedKid.ShouldBe(newKid);
        oldKid.ShouldNotBe(newKid);
    }

    private async Task<List<JsonObject>> PublishedKeysAsync()
    {
        var body = await broker.CreateClient().GetStringAsync("/.well-known/jwks.json");
        return JsonNode.Parse(body)!["keys"]!.AsArray().Select(k => k!.AsObject()).ToList();
    }
}
