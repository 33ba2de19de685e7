using System.Collections.Concurrent;
using Azure.Core;
using Azure.Identity;

namespace BalticAI.Sovereignty.Testing.KeyVault;

/// <summary>
/// Stands in for Entra ID: hands out opaque tokens naming the tenant and scope asked for, which
/// <see cref="FakeKeyVault"/> accepts only for its own tenant and resource. Records every request.
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
        var number = Interlocked.Increment(ref _issued);
        return new AccessToken(Token(requestContext.TenantId ?? "", string.Join(' ', requestContext.Scopes), number), DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));

    internal static string Token(string tenant, string scope, int number) =>
        $"fake.{tenant}.{Convert.ToHexString(System.Text.Encoding.UTF8.GetBytes(scope))}.{number}";

    internal static bool TryRead(string token, out string tenant, out string scope)
    {
        tenant = scope = "";
        var parts = token.Split('.');
        if (parts is not ["fake", var t, var s, _])
        {
            return false;
        }
        tenant = t;
        scope = System.Text.Encoding.UTF8.GetString(Convert.FromHexString(s));
        return true;
    }
}
