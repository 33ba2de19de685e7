using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Security;

namespace BalticAI.Sovereignty.Transparency.Checkpoints;

/// <summary>
/// A P-256 public key as signed notes name it: signature type 0x02 of C2SP signed-note (ECDSA as
/// transparency-dev/witness implements it), whose 4-byte key ID is the first four bytes of SHA-256 of
/// the DER SubjectPublicKeyInfo, and whose signatures are ASN.1 DER. The broker's ES256 key id (the
/// RFC 7638 thumbprint) is not part of the note; a verifier finds the key by this key ID instead.
/// </summary>
public sealed class EcdsaNoteKey
{
    private readonly ECDsa _key;

    public EcdsaNoteKey(string name, ECDsa key)
    {
        Name = name;
        _key = key;
        SubjectPublicKeyInfo = key.ExportSubjectPublicKeyInfo();
        KeyId = SHA256.HashData(SubjectPublicKeyInfo)[..4];
    }

    public string Name { get; }

    public byte[] KeyId { get; }

    public byte[] SubjectPublicKeyInfo { get; }

    public static EcdsaNoteKey FromJwk(string name, JsonObject jwk)
    {
        var ecdsa = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64Url.Decode(jwk["x"]!.GetValue<string>()), Y = Base64Url.Decode(jwk["y"]!.GetValue<string>()) },
        });
        return new EcdsaNoteKey(name, ecdsa);
    }

    /// <summary>
    /// The key of a JWK if it is a usable P-256 public key; a JWKS may also hold keys of other types or
    /// damaged ones, and a verifier treats those as unknown keys rather than failing.
    /// </summary>
    public static bool TryFromJwk(string name, JsonObject jwk, out EcdsaNoteKey key)
    {
        key = null!;
        if (!IsAbsentOr(jwk["kty"], "EC") || !IsAbsentOr(jwk["crv"], "P-256") || !IsString(jwk["x"]) || !IsString(jwk["y"]))
        {
            return false;
        }
        try
        {
            key = FromJwk(name, jwk);
            return true;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException or FormatException)
        {
            return false;
        }
    }

    private static bool IsString(JsonNode? node) => node?.GetValueKind() == System.Text.Json.JsonValueKind.String;

    private static bool IsAbsentOr(JsonNode? node, string value) => node is null || (IsString(node) && node.GetValue<string>() == value);

    /// <summary>Whether the text is base64 DER SubjectPublicKeyInfo of a P-256 key, as a witness's key must be.</summary>
    public static bool IsP256SubjectPublicKeyInfo(string? base64)
    {
        try
        {
            using var key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(base64 ?? ""), out _);
            return key.ExportParameters(false).Curve.Oid.Value == ECCurve.NamedCurves.nistP256.Oid.Value;
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            return false;
        }
    }

    /// <summary>A key from base64 DER SubjectPublicKeyInfo, as witnesses are configured.</summary>
    public static EcdsaNoteKey FromSubjectPublicKeyInfo(string name, string base64)
    {
        var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(Convert.FromBase64String(base64), out _);
        return new EcdsaNoteKey(name, ecdsa);
    }

    public bool Matches(NoteSignature signature) => signature.KeyName == Name && signature.KeyId.AsSpan().SequenceEqual(KeyId);

    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> derSignature)
    {
        try
        {
            return _key.VerifyData(message, derSignature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>JOSE R||S (what <see cref="ISigner"/> returns) to the DER SEQUENCE { r INTEGER, s INTEGER } notes carry.</summary>
    public static byte[] ToDer(ReadOnlySpan<byte> rs)
    {
        var half = rs.Length / 2;
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            // DER integers are minimal: about 1 in 128 signatures has an R or S with a leading zero byte.
            writer.WriteIntegerUnsigned(Minimal(rs[..half]));
            writer.WriteIntegerUnsigned(Minimal(rs[half..]));
        }
        return writer.Encode();
    }

    private static ReadOnlySpan<byte> Minimal(ReadOnlySpan<byte> value)
    {
        var zeros = 0;
        while (zeros < value.Length - 1 && value[zeros] == 0)
        {
            zeros++;
        }
        return value[zeros..];
    }
}
