using BalticAI.Sovereignty.Testing.KeyVault;

namespace BalticAI.Sovereignty.Security.Tests.KeyVault;

/// <summary>
/// A Managed HSM serves the same keys REST API as a vault, but asks for a token of https://managedhsm.azure.net and
/// holds HSM-protected keys only (kty EC-HSM); reached here at an Azure Managed HSM host, with the challenge's resource
/// checked against it as in production.
/// </summary>
public sealed class ManagedHsmTests : FakeVaultTests
{
    private static readonly byte[] Payload = "checkpoint"u8.ToArray();

    protected override Task<FakeKeyVault> StartVaultAsync() => FakeKeyVault.StartManagedHsmAsync("balticai-hsm");

    [Fact]
    public async Task The_key_is_created_as_EC_HSM_and_signs_with_a_token_for_managedhsm_azure_net()
    {
        using var signer = Signer(o => o.VerifyChallengeResource = true);

        var signed = await signer.SignAsync(Payload, CancellationToken.None);

        signed.Signature.Length.ShouldBe(64);
        Vault.Versions(KeyName).ShouldHaveSingleItem();
        Credential.Requests.Select(r => string.Join(' ', r.Scopes)).Distinct().ShouldHaveSingleItem().ShouldBe("https://managedhsm.azure.net/.default");
        // Verifiers know EC, not Key Vault's EC-HSM: the published key is the same either way.
        (await signer.GetVerificationKeysAsync(CancellationToken.None)).ShouldHaveSingleItem()["kty"]!.GetValue<string>().ShouldBe("EC");
    }
}
