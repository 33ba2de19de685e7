using System.Net;
using System.Text;
using Azure.Core.Pipeline;
using BalticAI.Sovereignty.Security.KeyVault;
using BalticAI.Sovereignty.Testing.KeyVault;
using Microsoft.Extensions.Logging.Abstractions;

namespace BalticAI.Sovereignty.Security.Tests.KeyVault;

/// <summary>Answers the vault (or a proxy in front of it) gives that the broker cannot read fail closed, never as a crash.</summary>
public sealed class MalformedVaultAnswerTests
{
    private const string Vault = "https://balticai-signing.vault.azure.net/";
    private const string Version = "0123456789abcdef0123456789abcdef";

    private sealed class FixedAnswer(HttpStatusCode status, string body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
    }

    private static KeyVaultKeysClient ClientAnswering(string body, HttpStatusCode status = HttpStatusCode.OK)
    {
        var pipeline = new KeyVaultPipelineOptions { Transport = new HttpClientTransport(new HttpClient(new FixedAnswer(status, body))) };
        pipeline.Retry.MaxRetries = 0;
        return new KeyVaultKeysClient(new Uri(Vault), new FakeTokenCredential(), pipeline);
    }

    [Theory]
    [InlineData("""{"kid":"not a key url","value":"AAAA"}""")]
    [InlineData("""{"kid":"https://balticai-signing.vault.azure.net/keys/broker-signing/0123456789abcdef0123456789abcdef","value":"!!not base64url!!"}""")]
    [InlineData("""{"kid":7,"value":"AAAA"}""")]
    public async Task An_unreadable_signature_answer_is_a_vault_failure(string body)
    {
        var refused = await Should.ThrowAsync<KeyVaultRequestException>(() =>
            ClientAnswering(body).SignAsync("broker-signing", Version, new byte[32], CancellationToken.None));

        refused.Code.ShouldBe("MalformedResponse");
    }

    [Theory]
    [InlineData("""{"value":[{"kid":"https://balticai-signing.vault.azure.net/secrets/broker-signing","attributes":{}}]}""")]
    [InlineData("""{"value":{"kid":"x"}}""")]
    [InlineData("""{"value":[],"nextLink":"keys/broker-signing/versions?$skiptoken=1"}""")]
    [InlineData("""{"value":[{"kid":"https://balticai-signing.vault.azure.net/keys/broker-signing/0123","attributes":{"created":"yesterday"}}]}""")]
    public async Task An_unreadable_version_listing_leaves_the_signer_unavailable(string body)
    {
        var options = new KeyVaultSigningOptions { VaultUri = new Uri(Vault), KeyName = "broker-signing" };
        using var signer = new KeyVaultSigner(ClientAnswering(body), options, TimeProvider.System, NullLogger<KeyVaultSigner>.Instance);

        await Should.ThrowAsync<SigningUnavailableException>(() => signer.GetVerificationKeysAsync(CancellationToken.None));
    }

    [Fact]
    public async Task An_error_body_of_unexpected_types_still_names_the_status()
    {
        var refused = await Should.ThrowAsync<KeyVaultRequestException>(() =>
            ClientAnswering("""{"error":{"code":403,"message":["no"]}}""", HttpStatusCode.Forbidden).GetKeyAsync("broker-signing", null, CancellationToken.None));

        refused.Status.ShouldBe(403);
    }
}
