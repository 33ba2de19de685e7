using System.Text;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Security.KeyVault;

namespace BalticAI.Sovereignty.Security.Tests.KeyVault;

/// <summary>
/// Continuous access evaluation: tokens are asked for as CAE-capable, and a vault that revokes one answers with a claims
/// challenge, which gets one token asked for with its claims, per try.
/// </summary>
public sealed class KeyVaultCaeTests : FakeVaultTests
{
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes("checkpoint");

    [Fact]
    public async Task Every_token_is_asked_for_as_CAE_capable()
    {
        using var signer = Signer();

        await signer.SignAsync(Payload, CancellationToken.None);

        Credential.Requests.ShouldNotBeEmpty();
        Credential.Requests.ShouldAllBe(r => r.IsCaeEnabled && r.Claims == null);
    }

    [Fact]
    public async Task A_token_revoked_by_a_CAE_event_is_replaced_by_one_asked_for_with_the_vaults_claims()
    {
        using var signer = Signer();
        await signer.SignAsync(Payload, CancellationToken.None);
        var revokedAt = DateTimeOffset.UtcNow;
        Vault.RevokeCaeTokensIssuedBefore(revokedAt);
        var signsBefore = SignRequests();

        var signed = await signer.SignAsync(Payload, CancellationToken.None);
        await signer.SignAsync(Payload, CancellationToken.None);

        signed.Signature.Length.ShouldBe(64);
        var claimed = Credential.Requests.Where(r => r.Claims != null).ShouldHaveSingleItem("one claims request, and its token kept for the next signature");
        var nbf = JsonNode.Parse(claimed.Claims!)!["access_token"]!["nbf"]!;
        nbf["essential"]!.GetValue<bool>().ShouldBeTrue();
        long.Parse(nbf["value"]!.GetValue<string>()).ShouldBe((revokedAt.ToUnixTimeMilliseconds() + 999) / 1000);
        claimed.Scopes.ShouldBe(["https://vault.azure.net/.default"]);
        claimed.TenantId.ShouldBe(Testing.KeyVault.FakeKeyVault.TenantId);
        claimed.IsCaeEnabled.ShouldBeTrue();
        (SignRequests() - signsBefore).ShouldBe(3, "the refused signature, its second try with the new token, and the next signature");
    }

    [Fact]
    public async Task A_token_revoked_before_the_first_request_is_replaced_after_the_vaults_first_challenge()
    {
        // Every token the identity hands out now is older than the event, as one from a cache would be.
        Vault.RevokeCaeTokensIssuedBefore(DateTimeOffset.UtcNow.AddSeconds(2));
        using var signer = Signer();

        var signed = await signer.SignAsync(Payload, CancellationToken.None);

        signed.Signature.Length.ShouldBe(64);
        var asked = Credential.Requests.ToList();
        asked[0].Claims.ShouldBeNull("the first token follows the vault's first challenge");
        asked[1].Claims.ShouldNotBeNull("the second answers the claims challenge the first token met");
        Vault.Requests.First().Authorized.ShouldBeFalse();
    }

    [Fact]
    public async Task A_second_claims_challenge_in_one_try_is_the_vaults_final_word_and_signing_fails_closed()
    {
        using var signer = Signer();
        await signer.SignAsync(Payload, CancellationToken.None);
        Vault.RefusesEveryCaeToken = true;
        var signsBefore = SignRequests();

        var refused = await Should.ThrowAsync<SigningUnavailableException>(() => signer.SignAsync(Payload, CancellationToken.None));

        var cause = refused.InnerException.ShouldBeOfType<KeyVaultRequestException>();
        cause.Status.ShouldBe(401);
        Credential.Requests.Count(r => r.Claims != null).ShouldBe(1);
        (SignRequests() - signsBefore).ShouldBe(2, "the first try and the one with the claims token, no more");
    }

    private int SignRequests() => Vault.Requests.Count(r => r.PathAndQuery.Contains("/sign", StringComparison.Ordinal));
}
