using System.Security.Cryptography;
using System.Text;
using BalticAI.Sovereignty.Security;

namespace BalticAI.Sovereignty.Api.Infrastructure.Identity;

/// <summary>
/// Turns a user's object id into a keyed pseudonym (HMAC-SHA256). The ledger is kept ten years and
/// holds no personal data; whoever holds the key, kept outside the ledger, can re-identify on request.
/// </summary>
public sealed class ActorPseudonymiser(byte[] key)
{
    public string Pseudonymise(string objectId)
    {
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(objectId.ToLowerInvariant()));
        return "ps:" + Base64Url.Encode(mac.AsSpan(0, 16));
    }
}
