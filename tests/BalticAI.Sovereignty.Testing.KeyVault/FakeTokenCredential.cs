using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Identity;

namespace BalticAI.Sovereignty.Testing.KeyVault;

/// <summary>
/// Stands in for Entra ID: hands out opaque tokens naming the tenant and scope asked for, which
/// <see cref="FakeKeyVault"/> accepts only for its own tenant and resource. Records every request.
/// A token asked for as CAE-capable carries that capability (Entra's xms_cc=cp1); one asked for with the claims of a
/// CAE challenge (<c>{"access_token":{"nbf":{"essential":true,"value":"&lt;unix seconds&gt;"}}}</c>) is issued no
/// earlier than that nbf, and claims that are not such JSON are refused as Entra refuses them.
/// </summary>
public sealed class FakeTokenCredential : TokenCredential
{
    private int _issued;

    public ConcurrentQueue<TokenRequestContext> Requests { get; } = new();

    /// <summary>When set, no token is issued (no managed identity on this machine, say).</summary>
    public bool Unavailable { get; set; }

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        Requests.Enqueue(requestContext);
        if (Unavailable)
        {
            throw new CredentialUnavailableException("the fake identity is switched off");
        }
        var issuedAt = DateTimeOffset.UtcNow;
        if (requestContext.Claims is { } claims && NotBefore(claims) is { } notBefore && notBefore > issuedAt)
        {
            issuedAt = notBefore;
        }
        var number = Interlocked.Increment(ref _issued);
        var token = new FakeToken(requestContext.TenantId ?? "", string.Join(' ', requestContext.Scopes), number, requestContext.IsCaeEnabled, issuedAt);
        return new AccessToken(token.Write(), issuedAt.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));

    /// <summary>The nbf a claims request asks for; Entra answers claims it cannot read with invalid_request (AADSTS50005x).</summary>
    private static DateTimeOffset? NotBefore(string claims)
    {
        try
        {
            var value = (JsonNode.Parse(claims) as JsonObject)?["access_token"]?["nbf"]?["value"]?.GetValue<string>();
            return value is null ? null : DateTimeOffset.FromUnixTimeSeconds(long.Parse(value, CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw new AuthenticationFailedException($"invalid_request: the claims parameter is not valid JSON claims ({e.Message})");
        }
    }
}

/// <summary>What a fake token says: who it is for, whether it is CAE-capable, and when it was issued.</summary>
internal sealed record FakeToken(string Tenant, string Scope, int Number, bool CaeCapable, DateTimeOffset IssuedAt)
{
    public string Write() =>
        $"fake.{Tenant}.{Convert.ToHexString(System.Text.Encoding.UTF8.GetBytes(Scope))}.{Number}.{(CaeCapable ? "cp1" : "-")}.{IssuedAt.ToUnixTimeMilliseconds()}";

    public static FakeToken? Read(string token) => token.Split('.') is ["fake", var tenant, var scope, var number, var capability, var issuedAt]
        && int.TryParse(number, out var n) && long.TryParse(issuedAt, out var ms)
            ? new FakeToken(tenant, System.Text.Encoding.UTF8.GetString(Convert.FromHexString(scope)), n, capability == "cp1", DateTimeOffset.FromUnixTimeMilliseconds(ms))
            : null;
}
