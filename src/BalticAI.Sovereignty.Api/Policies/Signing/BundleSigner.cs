using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Policies.ActivatingBundle;
using BalticAI.Sovereignty.Security;

namespace BalticAI.Sovereignty.Api.Policies.Signing;

/// <summary>
/// Writes the `.signatures.json` that `opa sign` writes for a bundle's files: one JWT whose payload lists every file
/// with its SHA-256 digest (<see cref="OpaFileHash"/>) and the scope, signed ES256/ES384/ES512 with an EC key or RS256
/// with an RSA key, the key id in its `kid` header.
/// </summary>
public static class BundleSigner
{
    public static byte[] Sign(IEnumerable<ArchiveFile> files, AsymmetricAlgorithm key, string keyId, string scope)
    {
        var algorithm = key switch
        {
            ECDsa ec => ec.KeySize switch { 256 => "ES256", 384 => "ES384", _ => "ES512" },
            RSA => "RS256",
            _ => throw new ArgumentException("an EC or RSA private key is required", nameof(key)),
        };
        var hash = BundleVerificationKey.HashOf(algorithm);
        var listed = new JsonArray(files.Where(f => f.Path != BundleSignatureVerifier.SignaturesFile).OrderBy(f => f.Path, StringComparer.Ordinal)
            .Select(f => (JsonNode)new JsonObject { ["name"] = f.Path, ["hash"] = OpaFileHash.Compute(f.Path, f.Content, "SHA-256"), ["algorithm"] = "SHA-256" })
            .ToArray());
        var payload = new JsonObject { ["files"] = listed };
        if (scope.Length > 0)
        {
            payload["scope"] = scope;
        }
        var header = new JsonObject { ["alg"] = algorithm, ["kid"] = keyId, ["typ"] = "JWT" };
        var signed = Part(header) + "." + Part(payload);
        var signature = key is ECDsa signer
            ? signer.SignData(Encoding.ASCII.GetBytes(signed), hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
            : ((RSA)key).SignData(Encoding.ASCII.GetBytes(signed), hash, RSASignaturePadding.Pkcs1);
        var document = new JsonObject { ["signatures"] = new JsonArray(signed + "." + Base64Url.Encode(signature)) };
        return Encoding.UTF8.GetBytes(document.ToJsonString());
    }

    private static string Part(JsonObject json) => Base64Url.Encode(Encoding.UTF8.GetBytes(json.ToJsonString()));
}
