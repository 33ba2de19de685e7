using Azure.Core;
using Azure.Core.Pipeline;

namespace BalticAI.Sovereignty.Security.KeyVault;

/// <summary>
/// Key Vault's authentication flow: the first request goes without a token (and without its body), the
/// vault answers 401 with <c>WWW-Authenticate: Bearer authorization="https://login.../{tenant}",
/// resource="https://vault.azure.net"</c> (a Managed HSM names https://managedhsm.azure.net, a sovereign cloud its
/// own domain), and the request is sent again with a token for that resource and tenant. Later requests reuse the
/// learned scope and tenant. This follows the Azure SDK's ChallengeBasedAuthenticationPolicy, which the REST client
/// cannot take from Azure.Security.KeyVault.Keys; as there, the policy has no scope of its own, so no token is ever
/// asked for a resource the vault did not name.
/// <para>
/// Continuous access evaluation (CAE), as in that policy: every token is asked for as CAE-capable, so Entra ID may issue
/// long-lived tokens that Key Vault revokes the moment a critical event happens (the identity disabled, its credentials
/// or the network policy changed). The vault then answers 401 with <c>error="insufficient_claims", claims="base64"</c>;
/// the request is sent once more with a token asked for with those claims, which bypasses every token cache. A second
/// claims challenge on the same try is the vault's final word: the 401 is handed on and signing fails closed.
/// </para>
/// </summary>
public sealed class KeyVaultChallengePolicy(TokenCredential credential, bool verifyChallengeResource)
    : BearerTokenAuthenticationPolicy(credential, Array.Empty<string>())
{
    private const string StashedContent = "BalticAI.KeyVault.StashedContent";
    private const string ClaimsAnswered = "BalticAI.KeyVault.ClaimsAnswered";
    private volatile Challenge? _challenge;

    private sealed record Challenge(string Scope, string? TenantId)
    {
        public TokenRequestContext Token(string? claims = null) => new([Scope], claims: claims, tenantId: TenantId, isCaeEnabled: true);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        message.SetProperty(ClaimsAnswered, false);
        await base.ProcessAsync(message, pipeline);
        // The base answers one challenge. When that was the first one of all (no token yet), the token it brought may
        // be one the vault has since revoked: its claims challenge gets the one answer a try allows.
        if (IsClaimsChallenge(message) && await AuthorizeRequestOnChallengeAsync(message))
        {
            await ProcessNextAsync(message, pipeline);
        }
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

    protected override async ValueTask AuthorizeRequestAsync(HttpMessage message)
    {
        if (_challenge is { } known)
        {
            await AuthenticateAndAuthorizeRequestAsync(message, known.Token());
            return;
        }
        // Only the challenge is wanted from this first round trip: keep the body back until then.
        if (message.Request.Content is { } content)
        {
            message.SetProperty(StashedContent, content);
            message.Request.Content = null;
        }
    }

    protected override void AuthorizeRequest(HttpMessage message) => AuthorizeRequestAsync(message).AsTask().GetAwaiter().GetResult();

    protected override async ValueTask<bool> AuthorizeRequestOnChallengeAsync(HttpMessage message)
    {
        if (message.Request.Content is null && message.TryGetProperty(StashedContent, out var stashed) && stashed is RequestContent content)
        {
            message.Request.Content = content;
        }
        var header = message.Response.Headers.TryGetValue("WWW-Authenticate", out var value) ? value : null;
        if (ChallengeParameter(header, "error") == "insufficient_claims")
        {
            return await AnswerClaimsChallengeAsync(message, header);
        }
        var resource = ChallengeParameter(header, "resource");
        var authorization = ChallengeParameter(header, "authorization") ?? ChallengeParameter(header, "authorization_uri");
        var scope = resource is not null ? resource.TrimEnd('/') + "/.default" : ChallengeParameter(header, "scope");
        if (scope is null)
        {
            return false;
        }
        if (verifyChallengeResource)
        {
            VerifyResource(message.Request.Uri.Host ?? "", scope);
        }
        string? tenant = null;
        if (authorization is not null && Uri.TryCreate(authorization, UriKind.Absolute, out var authority) && authority.Segments.Length > 1)
        {
            tenant = authority.Segments[1].Trim('/');
        }
        var challenge = new Challenge(scope, tenant);
        _challenge = challenge;
        await AuthenticateAndAuthorizeRequestAsync(message, challenge.Token());
        return true;
    }

    /// <summary>
    /// A claims challenge names no resource: the token is asked for the scope and tenant learned from the vault's first
    /// challenge, with the decoded claims. Not answered without a learned scope, a second time in one try, or with
    /// claims that are not base64 of a JSON object, which no token request could satisfy.
    /// </summary>
    private async ValueTask<bool> AnswerClaimsChallengeAsync(HttpMessage message, string? header)
    {
        if (_challenge is not { } known
            || message.TryGetProperty(ClaimsAnswered, out var answered) && answered is true
            || DecodedClaims(ChallengeParameter(header, "claims")) is not { } claims)
        {
            return false;
        }
        message.SetProperty(ClaimsAnswered, true);
        await AuthenticateAndAuthorizeRequestAsync(message, known.Token(claims));
        return true;
    }

    private static bool IsClaimsChallenge(HttpMessage message) =>
        message.HasResponse && message.Response.Status == 401
        && message.Response.Headers.TryGetValue("WWW-Authenticate", out var header)
        && ChallengeParameter(header, "error") == "insufficient_claims";

    private static string? DecodedClaims(string? encoded)
    {
        if (string.IsNullOrEmpty(encoded))
        {
            return null;
        }
        try
        {
            var claims = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            return System.Text.Json.Nodes.JsonNode.Parse(claims) is System.Text.Json.Nodes.JsonObject ? claims : null;
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    protected override bool AuthorizeRequestOnChallenge(HttpMessage message) => AuthorizeRequestOnChallengeAsync(message).AsTask().GetAwaiter().GetResult();

    /// <summary>
    /// A challenge may only ask for a token of the vault's own domain: vault.azure.net for name.vault.azure.net,
    /// managedhsm.azure.net for name.managedhsm.azure.net.
    /// </summary>
    private static void VerifyResource(string requestHost, string scope)
    {
        if (!Uri.TryCreate(scope, UriKind.Absolute, out var resource)
            || !requestHost.EndsWith("." + resource.Host, StringComparison.OrdinalIgnoreCase) && !requestHost.Equals(resource.Host, StringComparison.OrdinalIgnoreCase))
        {
            throw new KeyVaultRequestException(401, "ChallengeResourceMismatch",
                $"the challenge asks for a token of '{scope}', which is not the domain of the vault '{requestHost}'");
        }
    }

    /// <summary>A parameter of the Bearer challenge (RFC 6750 §3: auth-params, quoted or not).</summary>
    private static string? ChallengeParameter(string? header, string name)
    {
        if (header is null)
        {
            return null;
        }
        var bearer = header.IndexOf("Bearer", StringComparison.OrdinalIgnoreCase);
        if (bearer < 0)
        {
            return null;
        }
        foreach (var part in header[(bearer + "Bearer".Length)..].Split(','))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && part[..equals].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return part[(equals + 1)..].Trim().Trim('"');
            }
        }
        return null;
    }
}
