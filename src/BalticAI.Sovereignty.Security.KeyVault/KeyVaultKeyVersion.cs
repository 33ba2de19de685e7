using System.Text.Json;
using System.Text.Json.Nodes;

namespace BalticAI.Sovereignty.Security.KeyVault;

/// <summary>
/// One version of a Key Vault key: its identifier <c>https://{vault}/keys/{name}/{version}</c>, its
/// attributes and, when read with GET (listing leaves it out), its public key.
/// </summary>
public sealed record KeyVaultKeyVersion(
    Uri Id,
    string Name,
    string Version,
    bool Enabled,
    DateTimeOffset Created,
    DateTimeOffset Updated,
    DateTimeOffset? NotBefore,
    DateTimeOffset? Expires,
    JsonObject? PublicKey)
{
    /// <summary>The JWS <c>kid</c> of this version: <c>{name}/{version}</c>, stable across vault renames and short.</summary>
    public string KeyId => $"{Name}/{Version}";

    public bool UsableAt(DateTimeOffset now) => Enabled && (NotBefore is null || NotBefore <= now) && (Expires is null || Expires > now);

    /// <summary>Reads a KeyBundle (<c>{"key":{...},"attributes":{...}}</c>) or a KeyItem (<c>{"kid":...,"attributes":{...}}</c>).</summary>
    public static KeyVaultKeyVersion Parse(JsonObject body)
    {
        var key = body["key"] as JsonObject;
        var kid = (key?["kid"] ?? body["kid"])?.GetValue<string>() ?? throw new FormatException("a Key Vault key without kid");
        var id = new Uri(kid);
        var segments = id.AbsolutePath.Trim('/').Split('/');
        if (segments is not ["keys", var name, var version])
        {
            throw new FormatException($"'{kid}' is not a key version identifier");
        }
        var attributes = body["attributes"] as JsonObject ?? [];
        return new KeyVaultKeyVersion(id, name, version,
            attributes["enabled"]?.GetValue<bool>() ?? true,
            UnixTime(attributes["created"]) ?? DateTimeOffset.UnixEpoch,
            UnixTime(attributes["updated"]) ?? DateTimeOffset.UnixEpoch,
            UnixTime(attributes["nbf"]),
            UnixTime(attributes["exp"]),
            key is null ? null : PublicJwk($"{name}/{version}", key));
    }

    /// <summary>
    /// The published JWK of an EC P-256 key. Key Vault says <c>EC-HSM</c> for HSM-backed keys; verifiers
    /// know only <c>EC</c>, and the public key is the same either way.
    /// </summary>
    private static JsonObject PublicJwk(string kid, JsonObject key)
    {
        var kty = key["kty"]?.GetValue<string>();
        var crv = key["crv"]?.GetValue<string>();
        if (kty is not ("EC" or "EC-HSM") || crv != "P-256")
        {
            throw new FormatException($"key {kid} is {kty} {crv}; ES256 needs an EC P-256 key");
        }
        var x = key["x"]?.GetValue<string>() ?? throw new FormatException($"key {kid} has no x");
        var y = key["y"]?.GetValue<string>() ?? throw new FormatException($"key {kid} has no y");
        return LocalKeyRing.PublicJwk(kid, x, y);
    }

    private static DateTimeOffset? UnixTime(JsonNode? node) => node is null ? null : DateTimeOffset.FromUnixTimeSeconds(node.Deserialize<long>());
}
