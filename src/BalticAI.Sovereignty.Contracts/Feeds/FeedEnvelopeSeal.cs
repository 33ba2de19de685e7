using System.Security.Cryptography;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Security;

namespace BalticAI.Sovereignty.Contracts.Feeds;

/// <summary>
/// Signs and checks envelopes. The signed bytes and the stored bytes are both RFC 8785 canonical JSON,
/// so a verifier in any language recomputes them: drop `jws`, canonicalise, verify the detached JWS.
/// </summary>
public static class FeedEnvelopeSeal
{
    /// <summary>Signs an envelope that has no `jws` yet and returns the bytes to store and send.</summary>
    public static Task<byte[]> SealAsync(JsonObject unsigned, ISigner signer, CancellationToken ct) =>
        SealAsync(CanonicalJson.Serialize(unsigned), signer, ct);

    /// <summary>Signs the canonical form of an envelope that has no `jws` yet and returns the bytes to store and send.</summary>
    public static async Task<byte[]> SealAsync(ReadOnlyMemory<byte> signed, ISigner signer, CancellationToken ct)
    {
        var jws = await Jws.SignDetachedAsync(signer, signed, null, ct);
        // The stored bytes are the signed bytes with `jws` added in its canonical place.
        return CanonicalObject.AddString(signed.Span, FeedEnvelopeFields.Jws, jws);
    }

    /// <summary>True when the envelope's `jws` verifies over the envelope without it.</summary>
    public static bool HasValidSignature(JsonObject envelope, IEnumerable<JsonObject> keys, out string? keyId)
    {
        keyId = null;
        if (envelope[FeedEnvelopeFields.Jws] is not JsonValue jwsNode || !jwsNode.TryGetValue<string>(out var jws))
        {
            return false;
        }
        // Taken out and put back rather than copying the envelope: canonical bytes ignore member order.
        envelope.Remove(FeedEnvelopeFields.Jws);
        try
        {
            return Jws.TryVerify(jws, keys, CanonicalJson.Serialize(envelope), out _, out keyId);
        }
        finally
        {
            envelope[FeedEnvelopeFields.Jws] = jwsNode;
        }
    }

    /// <summary>The value the next envelope of the same feed carries as `prevhash`.</summary>
    public static string HashOf(ReadOnlySpan<byte> storedBytes)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(storedBytes, digest);
        return CanonicalJson.FormatSha256(digest);
    }
}
