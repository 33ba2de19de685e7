using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Security.KeyVault;

namespace BalticAI.Sovereignty.Security.Tests.KeyVault;

public sealed class KeyVaultSignerTests : FakeVaultTests
{
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes("""{"grant":"g-1"}""");

    [Fact]
    public async Task Creates_the_key_signs_in_the_vault_and_the_published_JWKS_verifies_the_JWS()
    {
        using var signer = Signer();

        var jws = await Jws.SignCompactAsync(signer, Payload, "grant+jwt", CancellationToken.None);
        var keys = await signer.GetVerificationKeysAsync(CancellationToken.None);

        var version = Vault.Versions(KeyName).ShouldHaveSingleItem();
        keys.ShouldHaveSingleItem()["kid"]!.GetValue<string>().ShouldBe($"{KeyName}/{version}");
        keys[0]["kty"]!.GetValue<string>().ShouldBe("EC");
        keys[0]["crv"]!.GetValue<string>().ShouldBe("P-256");
        keys[0].ContainsKey("d").ShouldBeFalse();
        Jws.TryVerify(jws, keys, [], out var payload, out var kid).ShouldBeTrue();
        payload.ShouldBe(Payload);
        kid.ShouldBe($"{KeyName}/{version}");
    }

    [Fact]
    public async Task After_rotation_the_new_version_signs_and_what_the_old_one_signed_still_verifies()
    {
        using var signer = Signer();
        var before = await Jws.SignCompactAsync(signer, Payload, null, CancellationToken.None);

        var rotated = await signer.RotateAsync(CancellationToken.None);
        var after = await Jws.SignCompactAsync(signer, Payload, null, CancellationToken.None);
        var keys = await signer.GetVerificationKeysAsync(CancellationToken.None);

        keys.Select(k => k["kid"]!.GetValue<string>()).ShouldBe(Vault.Versions(KeyName).Reverse().Select(v => $"{KeyName}/{v}"));
        keys[0]["kid"]!.GetValue<string>().ShouldBe(rotated);
        Jws.TryVerify(after, keys, [], out _, out var newKid).ShouldBeTrue();
        newKid.ShouldBe(rotated);
        Jws.TryVerify(before, keys, [], out _, out var oldKid).ShouldBeTrue();
        oldKid.ShouldNotBe(rotated);
    }

    [Fact]
    public async Task A_version_made_elsewhere_is_found_when_its_kid_is_asked_for()
    {
        using var signer = Signer(o => o.RefreshInterval = TimeSpan.FromHours(1));
        await signer.GetVerificationKeysAsync(CancellationToken.None);
        var added = Vault.CreateKey(KeyName);

        (await signer.GetVerificationKeysAsync(CancellationToken.None)).Count.ShouldBe(1);
        var found = await signer.FindVerificationKeyAsync($"{KeyName}/{added}", CancellationToken.None);

        found.ShouldNotBeNull()["kid"]!.GetValue<string>().ShouldBe($"{KeyName}/{added}");
        (await signer.GetVerificationKeysAsync(CancellationToken.None)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_revoked_version_signs_no_more_is_not_published_and_is_listed_as_revoked()
    {
        using var signer = Signer();
        var first = (await signer.SignAsync(Payload, CancellationToken.None)).KeyId;
        var second = await signer.RotateAsync(CancellationToken.None);

        await signer.RevokeAsync(second, CancellationToken.None);
        var signed = await signer.SignAsync(Payload, CancellationToken.None);

        signed.KeyId.ShouldBe(first);
        (await signer.GetVerificationKeysAsync(CancellationToken.None)).Select(k => k["kid"]!.GetValue<string>()).ShouldBe([first]);
        var revoked = (await signer.GetRevokedKeysAsync(CancellationToken.None)).ShouldHaveSingleItem();
        revoked.KeyId.ShouldBe(second);
        revoked.PublicKey.ShouldNotBeNull()["kid"]!.GetValue<string>().ShouldBe(second);
    }

    [Fact]
    public async Task A_version_disabled_in_the_vault_is_refused_once_and_then_the_previous_version_signs()
    {
        using var signer = Signer(o => o.RefreshInterval = TimeSpan.FromHours(1));
        var first = (await signer.SignAsync(Payload, CancellationToken.None)).KeyId;
        var second = await signer.RotateAsync(CancellationToken.None);

        Vault.Disable(KeyName, second.Split('/')[1]);
        var refused = await Should.ThrowAsync<SigningUnavailableException>(() => signer.SignAsync(Payload, CancellationToken.None));
        var signed = await signer.SignAsync(Payload, CancellationToken.None);

        refused.InnerException.ShouldBeOfType<KeyVaultRequestException>().Message.ShouldContain("disabled key");
        signed.KeyId.ShouldBe(first);
        (await signer.GetRevokedKeysAsync(CancellationToken.None)).ShouldHaveSingleItem().KeyId.ShouldBe(second);
    }

    [Fact]
    public async Task The_vault_verifies_its_own_signature_and_refuses_a_forged_one()
    {
        using var signer = Signer();
        var client = Client(Options());
        var signed = await signer.SignAsync(Payload, CancellationToken.None);
        var version = signed.KeyId.Split('/')[1];
        var digest = SHA256.HashData(Payload);

        (await client.VerifyAsync(KeyName, version, digest, signed.Signature, CancellationToken.None)).ShouldBeTrue();
        var forged = signed.Signature.ToArray();
        forged[10] ^= 1;
        (await client.VerifyAsync(KeyName, version, digest, forged, CancellationToken.None)).ShouldBeFalse();
    }

    [Fact]
    public async Task Versions_are_listed_across_nextLink_pages()
    {
        Vault.PageSize = 2;
        var made = Enumerable.Range(0, 5).Select(_ => Vault.CreateKey(KeyName)).ToList();
        var client = Client(Options());

        var listed = await client.ListVersionsAsync(KeyName, CancellationToken.None).ToListAsync();

        listed.Select(v => v.Version).ShouldBe(made);
        listed.ShouldAllBe(v => v.PublicKey == null && v.Enabled);
        Vault.Requests.Count(r => r.Authorized && r.PathAndQuery.Contains("/versions", StringComparison.Ordinal)).ShouldBe(3);
        Vault.Requests.ShouldContain(r => r.PathAndQuery.Contains("$skiptoken=4", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Getting_a_missing_key_is_KeyNotFound_with_the_vaults_message()
    {
        var client = Client(Options());

        var refused = await Should.ThrowAsync<KeyVaultRequestException>(() => client.GetKeyAsync("no-such-key", null, CancellationToken.None));

        refused.Status.ShouldBe(404);
        refused.Code.ShouldBe("KeyNotFound");
        refused.Message.ShouldContain("no-such-key");
    }

    [Fact]
    public async Task Versions_of_an_EC_HSM_key_publish_as_EC()
    {
        var bundle = new JsonObject
        {
            ["key"] = new JsonObject { ["kid"] = "https://v.vault.azure.net/keys/k/abc", ["kty"] = "EC-HSM", ["crv"] = "P-256", ["x"] = "eA", ["y"] = "eQ" },
            ["attributes"] = new JsonObject { ["enabled"] = true, ["created"] = 1700000000, ["updated"] = 1700000000 },
        };

        var version = KeyVaultKeyVersion.Parse(bundle);

        version.KeyId.ShouldBe("k/abc");
        version.PublicKey!["kty"]!.GetValue<string>().ShouldBe("EC");
        version.Created.ShouldBe(DateTimeOffset.FromUnixTimeSeconds(1700000000));
    }
}
