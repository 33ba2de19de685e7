using System.Security.Cryptography;

namespace BalticAI.Sovereignty.Api.Policies.Signing;

/// <summary>
/// `Policy:BundleSigning`: the keys an OPA bundle archive must be signed with (`opa build --signing-key`, `opa sign`,
/// `balticai policy sign`) for this broker to activate it, as OPA's `bundles[_].signing` configures. With no key, a signed
/// archive is refused (as OPA refuses one it was not configured to verify); with keys, every activation must be a
/// signed archive.
/// </summary>
public sealed class BundleSigningOptions
{
    /// <summary>Verification keys by id: the JWT's `kid` (or <see cref="KeyId"/>) names the one to use.</summary>
    public List<BundleVerificationKey> Keys { get; set; } = [];

    /// <summary>When set, the key every signature is verified with, whatever its `kid` says (OPA's `signing.keyid`).</summary>
    public string? KeyId { get; set; }

    /// <summary>The `scope` a signature must carry (OPA's `signing.scope`); empty for signatures without one.</summary>
    public string Scope { get; set; } = "";

    public bool Required => Keys.Count > 0;

    public IEnumerable<string> Validate(string section)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Keys.Count; i++)
        {
            var key = Keys[i];
            if (string.IsNullOrWhiteSpace(key.Id) || !ids.Add(key.Id))
            {
                yield return $"{section}:Keys:{i}:Id must be set and name one key only";
            }
            if (key.Problem() is { } problem)
            {
                yield return $"{section}:Keys:{i}: {problem}";
            }
        }
        if (KeyId is not null && !ids.Contains(KeyId))
        {
            yield return $"{section}:KeyId '{KeyId}' names none of {section}:Keys";
        }
    }
}

/// <summary>A public key in PEM (`-----BEGIN PUBLIC KEY-----`, SubjectPublicKeyInfo) and the JWS algorithm it verifies.</summary>
public sealed class BundleVerificationKey
{
    public static readonly IReadOnlyList<string> Algorithms = ["ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512"];

    public string Id { get; set; } = "";

    public string Algorithm { get; set; } = "ES256";

    public string PublicKey { get; set; } = "";

    internal string? Problem()
    {
        if (!Algorithms.Contains(Algorithm))
        {
            // HS256 and its kind are left out: a secret the broker holds would let the broker sign what it then accepts.
            return $"Algorithm '{Algorithm}' is not one of {string.Join(", ", Algorithms)}";
        }
        try
        {
            using var key = Algorithm.StartsWith("ES", StringComparison.Ordinal) ? (AsymmetricAlgorithm)LoadEc() : LoadRsa();
            return null;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            return $"PublicKey is not a PEM public key for {Algorithm}: {e.Message}";
        }
    }

    /// <summary>The hash a JWS algorithm signs with: SHA-256 for ES256, RS256 and PS256, and so on.</summary>
    internal static HashAlgorithmName HashOf(string algorithm) => algorithm[2..] switch
    {
        "256" => HashAlgorithmName.SHA256,
        "384" => HashAlgorithmName.SHA384,
        _ => HashAlgorithmName.SHA512,
    };

    internal ECDsa LoadEc()
    {
        var key = ECDsa.Create();
        key.ImportFromPem(PublicKey);
        var bits = Algorithm switch { "ES256" => 256, "ES384" => 384, _ => 521 };
        if (key.KeySize != bits)
        {
            key.Dispose();
            throw new CryptographicException($"an {Algorithm} key is on a {bits}-bit curve, this one on a {key.KeySize}-bit one");
        }
        return key;
    }

    internal RSA LoadRsa()
    {
        var key = RSA.Create();
        key.ImportFromPem(PublicKey);
        if (key.KeySize < 2048)
        {
            key.Dispose();
            throw new CryptographicException($"an RSA key of {key.KeySize} bits is too short; 2048 at least");
        }
        return key;
    }
}
