using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BalticAI.Sovereignty.Security;

/// <summary>RFC 7515 compact JWS, and detached JWS (Appendix F: payload left out), over an <see cref="ISigner"/>.</summary>
public static class Jws
{
    public static Task<string> SignCompactAsync(ISigner signer, ReadOnlyMemory<byte> payload, string? type, CancellationToken ct) =>
        SignAsync(signer, payload, type, detached: false, ct);

    /// <summary>A JWS whose payload part is empty: the verifier supplies the payload it already holds.</summary>
    public static Task<string> SignDetachedAsync(ISigner signer, ReadOnlyMemory<byte> payload, string? type, CancellationToken ct) =>
        SignAsync(signer, payload, type, detached: true, ct);

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
        // A member of another JSON type is a JWS this does not verify, not an error: TryVerify never throws on its input.
        if (header is null || Text(header["alg"]) != "ES256" || Text(header["kid"]) is not { } kid)
        {
            return false;
        }
        keyId = kid;
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

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == System.Text.Json.JsonValueKind.String ? value.GetValue<string>() : null;

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
        var input = new byte[SigningInputLength(encodedHeader, payload.Length)];
        WriteSigningInput(encodedHeader, payload, input);
        return input;
    }

    private static int SigningInputLength(string encodedHeader, int payloadLength) =>
        encodedHeader.Length + 1 + System.Buffers.Text.Base64Url.GetEncodedLength(payloadLength);

    private static void WriteSigningInput(string encodedHeader, ReadOnlySpan<byte> payload, Span<byte> input)
    {
        Encoding.ASCII.GetBytes(encodedHeader, input);
        input[encodedHeader.Length] = (byte)'.';
        System.Buffers.Text.Base64Url.EncodeToUtf8(payload, input[(encodedHeader.Length + 1)..]);
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
            // RFC 8785 escapes only what JSON requires: the default encoder would write "grant+jwt" as "grant\u002Bjwt".
            return Base64Url.Encode(CanonicalJson.Serialize(header));
        });

    private static async Task<string> SignAsync(ISigner signer, ReadOnlyMemory<byte> payload, string? type, bool detached, CancellationToken ct)
    {
        // The key id is only known once the signer picked its active key, so sign a header naming it:
        // ask for the active key first, then confirm the signer used that key and retry once after a rotation.
        for (var attempt = 0; ; attempt++)
        {
            var kid = await signer.GetActiveKeyIdAsync(ct);
            var encodedHeader = EncodedHeader(signer.Algorithm, kid, type);
            // The signing input of an envelope is its largest allocation after the envelope itself, and it
            // is dead once signed, so it comes from the pool. It goes back only after the signer completed:
            // a signer that failed or was cancelled might still be reading it, so then it is left to the GC.
            var length = SigningInputLength(encodedHeader, payload.Length);
            var input = ArrayPool<byte>.Shared.Rent(length);
            WriteSigningInput(encodedHeader, payload.Span, input);
            var result = await signer.SignAsync(input.AsMemory(0, length), ct);
            var jws = result.KeyId != kid ? null
                : detached ? Detached(encodedHeader, result.Signature)
                : Compact(input, length, result.Signature);
            ArrayPool<byte>.Shared.Return(input);
            if (jws is not null)
            {
                return jws;
            }
            if (attempt > 0)
            {
                throw new SigningUnavailableException("the active signing key changed twice while signing");
            }
        }
    }

    /// <summary>The signing input is already "header.payload" in base64url; the signature follows a dot.</summary>
    private static string Compact(byte[] input, int length, byte[] signature) =>
        string.Create(length + 1 + System.Buffers.Text.Base64Url.GetEncodedLength(signature.Length), (input, length, signature), static (text, state) =>
        {
            Encoding.ASCII.GetChars(state.input.AsSpan(0, state.length), text);
            text[state.length] = '.';
            System.Buffers.Text.Base64Url.EncodeToChars(state.signature, text[(state.length + 1)..]);
        });

    private static string Detached(string encodedHeader, byte[] signature) =>
        string.Create(encodedHeader.Length + 2 + System.Buffers.Text.Base64Url.GetEncodedLength(signature.Length), (encodedHeader, signature), static (text, state) =>
        {
            state.encodedHeader.CopyTo(text);
            text[state.encodedHeader.Length] = '.';
            text[state.encodedHeader.Length + 1] = '.';
            System.Buffers.Text.Base64Url.EncodeToChars(state.signature, text[(state.encodedHeader.Length + 2)..]);
        });
}
