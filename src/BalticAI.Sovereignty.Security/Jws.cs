using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BalticAI.Sovereignty.Security;

/// <summary>RFC 7515 compact JWS, and detached JWS (Appendix F: payload left out), over an <see cref="ISigner"/>.</summary>
public static class Jws
{
    public static async Task<string> SignCompactAsync(ISigner signer, ReadOnlyMemory<byte> payload, string? type, CancellationToken ct)
    {
        var (signingInput, _, signature) = await SignAsync(signer, payload, type, ct);
        // The signing input is already "header.payload" in base64url.
        return $"{Encoding.ASCII.GetString(signingInput)}.{signature}";
    }

    /// <summary>A JWS whose payload part is empty: the verifier supplies the payload it already holds.</summary>
    public static async Task<string> SignDetachedAsync(ISigner signer, ReadOnlyMemory<byte> payload, string? type, CancellationToken ct)
    {
        var (_, protectedHeader, signature) = await SignAsync(signer, payload, type, ct);
        return $"{protectedHeader}..{signature}";
    }

    /// <summary>Verifies a compact or detached JWS against a JWK set; returns the payload when valid.</summary>
    public static bool TryVerify(string jws, IEnumerable<JsonObject> keys, ReadOnlySpan<byte> detachedPayload, out byte[] payload, out string? keyId)
    {
        payload = [];
        keyId = null;
        var parts = jws.Split('.');
        if (parts.Length != 3)
        {
            return false;
        }
        JsonObject? header;
        try
        {
            header = JsonNode.Parse(Base64Url.Decode(parts[0])) as JsonObject;
            payload = parts[1].Length == 0 ? detachedPayload.ToArray() : Base64Url.Decode(parts[1]);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return false;
        }
        if (header?["alg"]?.GetValue<string>() != "ES256")
        {
            return false;
        }
        keyId = header["kid"]?.GetValue<string>();
        var kid = keyId;
        var jwk = keys.FirstOrDefault(k => k["kid"]?.GetValue<string>() == kid);
        if (jwk is null)
        {
            return false;
        }
        var ecdsa = PublicKeyOf(jwk["x"]!.GetValue<string>(), jwk["y"]!.GetValue<string>());
        var signingInput = SigningInput(parts[0], payload);
        try
        {
            var signature = Base64Url.Decode(parts[2]);
            lock (ecdsa)
            {
                return ecdsa.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            }
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>
    /// Importing a P-256 point (which validates it) costs more than the verification itself, and an inbox
    /// checks every envelope against the same few keys, so imported keys are kept. A verifier only meets
    /// the handful of keys its JWK sets publish; the bound only guards against a misbehaving key source.
    /// </summary>
    private static ECDsa PublicKeyOf(string x, string y) =>
        Kept(PublicKeys, (X: x, Y: y), static point => ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64Url.Decode(point.X), Y = Base64Url.Decode(point.Y) },
        }));

    /// <summary>
    /// The caches here hold what a handful of keys need; the bound only guards against a misbehaving key
    /// source filling memory, so past it the cache simply starts over.
    /// </summary>
    private static TValue Kept<TKey, TValue>(ConcurrentDictionary<TKey, TValue> cache, TKey key, Func<TKey, TValue> create)
        where TKey : notnull
    {
        if (cache.Count > 256)
        {
            cache.Clear();
        }
        return cache.GetOrAdd(key, create);
    }

    private static readonly ConcurrentDictionary<(string X, string Y), ECDsa> PublicKeys = new();

    private static readonly ConcurrentDictionary<(string Algorithm, string KeyId, string? Type), string> Headers = new();

    /// <summary>RFC 7515 §5.1: ASCII(BASE64URL(header) || '.' || BASE64URL(payload)), written straight into one array.</summary>
    private static byte[] SigningInput(string encodedHeader, ReadOnlySpan<byte> payload)
    {
        var input = new byte[encodedHeader.Length + 1 + System.Buffers.Text.Base64Url.GetEncodedLength(payload.Length)];
        Encoding.ASCII.GetBytes(encodedHeader, input);
        input[encodedHeader.Length] = (byte)'.';
        System.Buffers.Text.Base64Url.EncodeToUtf8(payload, input.AsSpan(encodedHeader.Length + 1));
        return input;
    }

    /// <summary>
    /// The encoded protected header of a key and type. A signer has a handful of keys over its life, so
    /// headers are kept rather than serialised for every one of the five signatures of a decision.
    /// </summary>
    private static string EncodedHeader(string algorithm, string kid, string? type) =>
        Kept(Headers, (Algorithm: algorithm, KeyId: kid, Type: type), static key =>
        {
            var header = new JsonObject { ["alg"] = key.Algorithm, ["kid"] = key.KeyId };
            if (key.Type is not null)
            {
                header["typ"] = key.Type;
            }
            return Base64Url.Encode(Encoding.UTF8.GetBytes(header.ToJsonString()));
        });

    private static async Task<(byte[] SigningInput, string Header, string Signature)> SignAsync(ISigner signer, ReadOnlyMemory<byte> payload, string? type, CancellationToken ct)
    {
        // The key id is only known once the signer picked its active key, so sign a header naming it:
        // ask for the active key first, then confirm the signer used that key and retry once after a rotation.
        for (var attempt = 0; ; attempt++)
        {
            var kid = await signer.GetActiveKeyIdAsync(ct);
            var encodedHeader = EncodedHeader(signer.Algorithm, kid, type);
            var signingInput = SigningInput(encodedHeader, payload.Span);
            var result = await signer.SignAsync(signingInput, ct);
            if (result.KeyId == kid)
            {
                return (signingInput, encodedHeader, Base64Url.Encode(result.Signature));
            }
            if (attempt > 0)
            {
                throw new SigningUnavailableException("the active signing key changed twice while signing");
            }
        }
    }
}
