namespace BalticAI.Sovereignty.Security.Tests.KeyVault;

public sealed class KeyVaultRevocationInputTests : FakeVaultTests
{
    private static readonly ReadOnlyMemory<byte> Payload = "revocation input"u8.ToArray();

    [Theory]
    [InlineData("broker-signing/../other-key/{0}")]
    [InlineData("../other-key/{0}")]
    [InlineData("other-key/{0}")]
    [InlineData("")]
    public async Task A_kid_that_is_not_a_version_of_the_signing_key_is_refused_before_the_vault_is_asked(string kid)
    {
        using var signer = Signer();
        await signer.SignAsync(Payload, CancellationToken.None);
        var other = Vault.CreateKey("other-key");

        await Should.ThrowAsync<ArgumentException>(() => signer.RevokeAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, kid, other), CancellationToken.None));

        Vault.Requests.ShouldNotContain(r => r.Method == "PATCH");
    }
}
