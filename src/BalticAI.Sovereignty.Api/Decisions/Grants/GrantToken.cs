using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Security;

namespace BalticAI.Sovereignty.Api.Decisions.Grants;

/// <summary>
/// A grant as a compact JWS (ES256, the broker's signer): what the data plane checks before a byte
/// moves, verifiable offline with `/.well-known/jwks.json`.
/// </summary>
public static class GrantToken
{
    public const string Issuer = "balticai-sovereignty";
    public const string Type = "grant+jwt";

    /// <summary>
    /// The audience of a grant: the data plane of the site it names. Each site's data plane is a relying party of its own,
    /// so a JWT library that validates the audience (RFC 8725, 3.9) refuses a grant made out to another site.
    /// </summary>
    public static string Audience(Guid siteId) => "urn:balticai:site:" + siteId;

    public static async Task<string> SignAsync(ISigner signer, GrantIssued grant, AccessDecided decision, DateTimeOffset issuedAt, CancellationToken ct)
    {
        var claims = new JsonObject
        {
            ["iss"] = Issuer,
            ["aud"] = Audience(grant.SiteId),
            ["sub"] = grant.GrantId.ToString(),
            ["jti"] = grant.GrantId.ToString(),
            ["iat"] = issuedAt.ToUnixTimeSeconds(),
            ["nbf"] = issuedAt.ToUnixTimeSeconds(),
            ["exp"] = grant.ExpiresAt.ToUnixTimeSeconds(),
            ["decision"] = grant.DecisionId.ToString(),
            ["job"] = grant.JobId.ToString(),
            ["trainingSystem"] = grant.TrainingSystem,
            ["dataset"] = grant.DatasetId.ToString(),
            ["version"] = grant.Version,
            ["site"] = grant.SiteId.ToString(),
            ["obligations"] = new JsonArray(grant.Obligations.Select(o => (JsonNode)o.DeepClone()).ToArray()),
            ["bundle"] = new JsonObject { ["revision"] = decision.BundleRevision, ["digest"] = decision.BundleDigest },
        };
        // RFC 8785: obligations' text reads in the token as recorded, without the default encoder's \uXXXX for '+', '&' or 'ą'.
        return await Jws.SignCompactAsync(signer, CanonicalJson.Serialize(claims), Type, ct);
    }

    public static string Digest(string token) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(token)));
}
