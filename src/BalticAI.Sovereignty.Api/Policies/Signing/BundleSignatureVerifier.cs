using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Policies.ActivatingBundle;
using BalticAI.Sovereignty.Security;

namespace BalticAI.Sovereignty.Api.Policies.Signing;

/// <summary>
/// What an activation records of a verified signature: the key and algorithm it was verified with, its scope, the files
/// it covers, and the JWT itself, so an auditor holding the public key can verify it again.
/// </summary>
public sealed record BundleSignature(string KeyId, string Algorithm, string Scope, IReadOnlyList<string> Files, string Jwt);

/// <summary>
/// Verifies an OPA bundle archive's `.signatures.json` as OPA does before it activates a bundle (v1/bundle/verify.go,
/// docs "Signing"): exactly one JWT; the key named by `Policy:BundleSigning:KeyId`, else the JWT's `kid`, else its
/// deprecated `keyid` claim; the JWT's `alg` the key's own; its `scope` the configured one; and its `files` exactly the
/// archive's files but the signatures file, each with the digest <see cref="OpaFileHash"/> computes. Where OPA would
/// activate without a signature (none configured, none present) so does the broker; every other mismatch is a 422
/// naming what failed, and nothing is recorded.
/// </summary>
public static class BundleSignatureVerifier
{
    public const string SignaturesFile = ".signatures.json";

    public static BundleSignature? Verify(IReadOnlyList<ArchiveFile> files, BundleSigningOptions options)
    {
        var signatures = files.Where(f => f.Path.EndsWith(SignaturesFile, StringComparison.Ordinal)).ToList();
        if (signatures.Count == 0)
        {
            return options.Required
                ? throw Refused("archive", "this broker activates signed bundles only (Policy:BundleSigning): sign it with `opa sign`, `opa build --signing-key` or `balticai policy sign`")
                : null;
        }
        if (!options.Required)
        {
            throw Refused(signatures[0].Path, "the bundle is signed, but this broker has no Policy:BundleSigning keys to verify it with; a signature it cannot verify is not taken");
        }
        if (signatures.Count > 1 || signatures[0].Path != SignaturesFile)
        {
            throw Refused(signatures[0].Path, $"the signatures must be one {SignaturesFile} at the bundle's root");
        }
        var token = Token(signatures[0]);
        var (header, payload, signed, signature) = Split(token);
        var keyId = options.KeyId ?? Text(header, "kid") ?? Text(payload, "keyid")
            ?? throw Refused(SignaturesFile, "the signature names no key (no kid header), and Policy:BundleSigning:KeyId is not set");
        var key = options.Keys.FirstOrDefault(k => k.Id == keyId) ?? throw Refused(SignaturesFile, $"the signature's key '{keyId}' is not one of Policy:BundleSigning:Keys");
        if (Text(header, "alg") != key.Algorithm)
        {
            throw Refused(SignaturesFile, $"the signature's alg '{Text(header, "alg")}' is not {key.Algorithm}, the algorithm of key '{keyId}'");
        }
        if (!Verifies(key, signed, signature))
        {
            throw Refused(SignaturesFile, $"the signature does not verify with key '{keyId}'");
        }
        var scope = Text(payload, "scope") ?? "";
        if (scope != options.Scope)
        {
            throw Refused(SignaturesFile, $"the signature's scope '{scope}' is not '{options.Scope}' (Policy:BundleSigning:Scope)");
        }
        var covered = CheckFiles(files.Where(f => f.Path != SignaturesFile).ToList(), payload);
        return new BundleSignature(keyId, key.Algorithm, scope, covered, token);
    }

    private static List<string> CheckFiles(List<ArchiveFile> files, JsonObject payload)
    {
        var listed = new Dictionary<string, (string Hash, string Algorithm)>(StringComparer.Ordinal);
        foreach (var item in payload["files"] as JsonArray ?? throw Refused(SignaturesFile, "the signature's payload has no files list"))
        {
            if (item is not JsonObject file || Text(file, "name") is not { } name || Text(file, "hash") is not { } hash || Text(file, "algorithm") is not { } algorithm)
            {
                throw Refused(SignaturesFile, "every entry of the signature's files needs a name, a hash and an algorithm");
            }
            if (!listed.TryAdd(name, (hash, algorithm)))
            {
                throw Refused(name, "is listed twice in the signature");
            }
        }
        foreach (var file in files)
        {
            if (!listed.Remove(file.Path, out var expected))
            {
                throw Refused(file.Path, "is not included in the bundle signature");
            }
            string actual;
            try
            {
                actual = OpaFileHash.Compute(file.Path, file.Content, expected.Algorithm);
            }
            catch (ArgumentException e)
            {
                throw Refused(file.Path, e.Message.Split(" (Parameter", 2)[0]);
            }
            catch (Exception e) when (e is JsonException or FormatException)
            {
                throw Refused(file.Path, $"cannot be hashed as a structured file: {e.Message}");
            }
            if (!string.Equals(actual, expected.Hash, StringComparison.OrdinalIgnoreCase))
            {
                throw Refused(file.Path, $"digest mismatch: the signature says {expected.Hash}, the file hashes to {actual} ({expected.Algorithm})");
            }
        }
        if (listed.Count > 0)
        {
            throw Refused(listed.Keys.Order(StringComparer.Ordinal).First(), "is included in the bundle signature but missing from the archive");
        }
        return files.Select(f => f.Path).ToList();
    }

    private static string Token(ArchiveFile file)
    {
        JsonNode? document;
        try
        {
            document = JsonNode.Parse(file.Content);
        }
        catch (JsonException e)
        {
            throw Refused(file.Path, $"is not JSON: {e.Message}");
        }
        var tokens = (document as JsonObject)?["signatures"] as JsonArray;
        return tokens switch
        {
            null or { Count: 0 } => throw Refused(file.Path, "holds no JWT (expected exactly one in signatures)"),
            { Count: > 1 } => throw Refused(file.Path, "holds more than one JWT (expected exactly one in signatures)"),
            _ => tokens[0] is JsonValue value && value.TryGetValue<string>(out var token) ? token : throw Refused(file.Path, "signatures[0] is not a string"),
        };
    }

    private static (JsonObject Header, JsonObject Payload, byte[] Signed, byte[] Signature) Split(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            throw Refused(SignaturesFile, "the signature is not a compact JWS (three dot-separated parts)");
        }
        try
        {
            return (Object(parts[0]), Object(parts[1]), Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.Decode(parts[2]));
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw Refused(SignaturesFile, $"the signature's JWT cannot be decoded: {e.Message}");
        }
    }

    private static JsonObject Object(string part) =>
        JsonNode.Parse(Base64Url.Decode(part)) as JsonObject ?? throw new FormatException("a JWT part is not a JSON object");

    private static bool Verifies(BundleVerificationKey key, byte[] signed, byte[] signature)
    {
        var hash = BundleVerificationKey.HashOf(key.Algorithm);
        if (key.Algorithm.StartsWith("ES", StringComparison.Ordinal))
        {
            using var ec = key.LoadEc();
            return ec.VerifyData(signed, signature, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        using var rsa = key.LoadRsa();
        return rsa.VerifyData(signed, signature, hash, key.Algorithm.StartsWith("PS", StringComparison.Ordinal) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1);
    }

    private static string? Text(JsonObject node, string name) => node[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static BundleArchiveRefusedException Refused(string where, string why) => BundleArchiveRefusedException.NotAcceptable(where, why);
}
