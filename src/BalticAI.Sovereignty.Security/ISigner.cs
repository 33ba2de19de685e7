using System.Text.Json.Nodes;

namespace BalticAI.Sovereignty.Security;

/// <summary>
/// The broker's one signing abstraction: grants, feed envelopes and ledger checkpoints are all signed
/// through it, so that the embedded local keys and Azure Key Vault are interchangeable.
/// </summary>
public interface ISigner
{
    /// <summary>JOSE algorithm of every signature this signer makes (ES256).</summary>
    string Algorithm { get; }

    /// <summary>
    /// Signs <paramref name="data"/> with the active key; the signature is JOSE form (R||S). The signer
    /// reads <paramref name="data"/> only until its task completes: callers sign pooled buffers and reuse
    /// them afterwards.
    /// </summary>
    /// <exception cref="SigningUnavailableException">The key store cannot sign right now.</exception>
    Task<SignatureResult> SignAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Public keys (JWK) of every key whose signatures must still verify, active one first.</summary>
    Task<IReadOnlyList<JsonObject>> GetVerificationKeysAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The key id the next signature is expected to name (a JWS header names it before signing). Signers
    /// that hold it need not list every key for it, which every signature did (five per decision).
    /// </summary>
    async Task<string> GetActiveKeyIdAsync(CancellationToken cancellationToken) =>
        (await GetVerificationKeysAsync(cancellationToken))[0]["kid"]!.GetValue<string>();
}

public sealed record SignatureResult(string KeyId, byte[] Signature);

/// <summary>The key store cannot sign; callers fail closed (503) rather than hand out unsigned data.</summary>
public sealed class SigningUnavailableException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>When the key store said it expects to answer again (its Retry-After), if it said so.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
