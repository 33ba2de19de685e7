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
/// </summary>
public sealed class KeyVaultChallengePolicy(TokenCredential credential, bool verifyChallengeResource)
    : BearerTokenAuthenticationPolicy(credential, Array.Empty<string>())
{
    private const string StashedContent = "BalticAI.KeyVault.StashedContent";
    private volatile Challenge? _challenge;

    private sealed record Challenge(string Scope, string? TenantId);

    protected override async ValueTask AuthorizeRequestAsync(HttpMessage message)
    {
        if (_challenge is { } known)
        {
            await AuthenticateAndAuthorizeRequestAsync(message, new TokenRequestContext([known.Scope], tenantId: known.TenantId));
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
        await AuthenticateAndAuthorizeRequestAsync(message, new TokenRequestContext([challenge.Scope], tenantId: challenge.TenantId));
        return true;
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
