using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BalticAI.Sovereignty.Security;

/// <summary>
/// The local ES256 token issuer used in development and tests in place of Entra ID. Tokens carry the
/// same claims Entra ID v2 access tokens do (tid, oid, azp, roles), so the broker validates them
/// through the same Microsoft.Identity.Web pipeline it uses in production.
/// </summary>
public sealed class DevelopmentIssuer(EcPrivateKeyFile key, string issuer, string audience, TimeProvider clock)
{
    public const string DefaultIssuer = "https://dev-issuer.balticai.local/v2.0";
    public const string DefaultAudience = "api://balticai-sovereignty";
    public const string DefaultKeyPath = ".data/dev-issuer-key.json";

    public EcPrivateKeyFile Key => key;
    public string Issuer => issuer;
    public string Audience => audience;

    public string MintToken(TokenRequest request)
    {
        var now = clock.GetUtcNow();
        var header = new JsonObject { ["alg"] = "ES256", ["typ"] = "JWT", ["kid"] = key.Kid };
        var payload = new JsonObject
        {
            ["iss"] = issuer,
            ["aud"] = audience,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["exp"] = now.Add(request.Lifetime ?? TimeSpan.FromHours(8)).ToUnixTimeSeconds(),
            ["tid"] = request.TenantId,
            ["oid"] = request.ObjectId ?? Guid.NewGuid().ToString(),
            ["azp"] = request.ClientApplication ?? "balticai-cli",
            ["ver"] = "2.0",
        };
        if (request.Roles.Count > 0)
        {
            payload["roles"] = new JsonArray(request.Roles.Select(r => (JsonNode)JsonValue.Create(r)).ToArray());
        }
        var signingInput = $"{Encode(header)}.{Encode(payload)}";
        using var ecdsa = key.ToEcdsa();
        var signature = ecdsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256);
        return $"{signingInput}.{Base64Url.Encode(signature)}";
    }

    private static string Encode(JsonObject node) =>
        Base64Url.Encode(Encoding.UTF8.GetBytes(node.ToJsonString(JsonSerializerOptions.Default)));
}

public sealed record TokenRequest(string TenantId, IReadOnlyList<string> Roles)
{
    public string? ObjectId { get; init; }
    public string? ClientApplication { get; init; }
    public TimeSpan? Lifetime { get; init; }
}
