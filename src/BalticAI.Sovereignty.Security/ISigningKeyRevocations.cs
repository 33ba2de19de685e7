using System.Text.Json.Nodes;

namespace BalticAI.Sovereignty.Security;

/// <summary>
/// Signing keys withdrawn before their time (compromised, or suspected to be): verifiers must refuse
/// anything they signed, even where an older copy of the JWKS still lists them.
/// </summary>
public interface ISigningKeyRevocations
{
    Task<IReadOnlyList<SigningKeyRevoked>> GetRevokedKeysAsync(CancellationToken cancellationToken);
}

/// <summary>A revoked key: its JWS key id, when it was revoked and, where still known, its public key.</summary>
public sealed record SigningKeyRevoked(string KeyId, DateTimeOffset RevokedAt, JsonObject? PublicKey);

/// <summary>The embedded key ring removes a compromised key file instead; it has nothing to announce.</summary>
public sealed class NoSigningKeyRevocations : ISigningKeyRevocations
{
    public Task<IReadOnlyList<SigningKeyRevoked>> GetRevokedKeysAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<SigningKeyRevoked>>([]);
}
