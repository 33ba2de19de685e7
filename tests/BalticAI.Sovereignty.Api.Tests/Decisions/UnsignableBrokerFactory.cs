using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace BalticAI.Sovereignty.Api.Tests.Decisions;

/// <summary>A broker whose key store cannot sign (an HSM or Key Vault that is down).</summary>
public sealed class UnsignableBrokerFactory : BrokerFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<ISigner, UnavailableSigner>());
    }

    private sealed class UnavailableSigner : ISigner
    {
        public string Algorithm => "ES256";

        public Task<SignatureResult> SignAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
            throw new SigningUnavailableException("the key store is unreachable");

        // The public keys are still known (cached, published); only the private key cannot be used.
        public Task<IReadOnlyList<JsonObject>> GetVerificationKeysAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<JsonObject>>([new JsonObject { ["kty"] = "EC", ["kid"] = "unavailable", ["alg"] = Algorithm }]);
    }
}
