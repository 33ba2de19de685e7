using System.Security.Cryptography;
using System.Text.Json;
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

    /// <summary>
    /// True when the envelope's `jws` is detached and verifies over the envelope without it. A JWS that
    /// carries a payload of its own (any grant token the broker signed) verifies over that payload, so it
    /// says nothing about the envelope; a header that is not ES256 with a string `kid` verifies nothing.
    /// </summary>
    public static bool HasValidSignature(JsonObject envelope, IEnumerable<JsonObject> keys, out string? keyId)
    {
        keyId = null;
        if (envelope[FeedEnvelopeFields.Jws] is not JsonValue jwsNode || !jwsNode.TryGetValue<string>(out var jws)
            || !IsDetached(jws) || !HasStringMembers(jws, "alg", "kid"))
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

    private static bool IsDetached(string jws)
    {
        var parts = jws.Split('.');
        return parts.Length == 3 && parts[0].Length > 0 && parts[1].Length == 0 && parts[2].Length > 0;
    }

    private static bool HasStringMembers(string jws, params string[] names)
    {
        try
        {
            var header = JsonNode.Parse(Base64Url.Decode(jws[..jws.IndexOf('.')]), documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false });
            return header is JsonObject members
                && names.All(n => members[n] is JsonValue value && value.GetValueKind() == JsonValueKind.String);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return false;
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
