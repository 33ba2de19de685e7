using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BalticAI.Sovereignty.Security;

/// <summary>
/// A P-256 private key kept as a JWK file readable by its owner only (0600). Used for the development
/// token issuer and the embedded signing keys; production keys live in Azure Key Vault instead.
/// </summary>
public sealed record EcPrivateKeyFile(
    [property: JsonPropertyName("kty")] string Kty,
    [property: JsonPropertyName("crv")] string Crv,
    [property: JsonPropertyName("kid")] string Kid,
    [property: JsonPropertyName("x")] string X,
    [property: JsonPropertyName("y")] string Y,
    [property: JsonPropertyName("d")] string D,
    [property: JsonPropertyName("created")] DateTimeOffset Created)
{
    public static EcPrivateKeyFile Generate(TimeProvider clock)
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var p = ecdsa.ExportParameters(includePrivateParameters: true);
        var x = Base64Url.Encode(p.Q.X!);
        var y = Base64Url.Encode(p.Q.Y!);
        return new EcPrivateKeyFile("EC", "P-256", Thumbprint(x, y), x, y, Base64Url.Encode(p.D!), clock.GetUtcNow());
    }

    /// <summary>RFC 7638 thumbprint: a key id that anyone can recompute from the public key.</summary>
    public static string Thumbprint(string x, string y)
    {
        var canonical = $$"""{"crv":"P-256","kty":"EC","x":"{{x}}","y":"{{y}}"}""";
        return Base64Url.Encode(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(canonical)));
    }

    public ECDsa ToEcdsa()
    {
        var parameters = new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64Url.Decode(X), Y = Base64Url.Decode(Y) },
            D = Base64Url.Decode(D),
        };
        return ECDsa.Create(parameters);
    }

    public static EcPrivateKeyFile Read(string path) =>
        JsonSerializer.Deserialize<EcPrivateKeyFile>(File.ReadAllText(path))
        ?? throw new InvalidDataException($"{path} does not hold a key");

    /// <summary>Loads the key at <paramref name="path"/>, creating it owner-only on first use.</summary>
    public static EcPrivateKeyFile LoadOrCreate(string path, TimeProvider clock)
    {
        if (File.Exists(path))
        {
            return Read(path);
        }
        Generate(clock).Write(path);
        // Read back: when another process won the race to create the file, its key is the one in use.
        return Read(path);
    }

    /// <summary>Writes the key owner-only; when another process created the file first, theirs is kept.</summary>
    public void Write(string path) => OwnerOnlyFile.TryCreate(path, stream => JsonSerializer.Serialize(stream, this));
}
