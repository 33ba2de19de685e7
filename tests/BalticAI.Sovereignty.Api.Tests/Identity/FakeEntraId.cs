using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;

namespace BalticAI.Sovereignty.Api.Tests.Identity;

/// <summary>
/// Entra ID's discovery endpoints on 127.0.0.1 (plain HTTP; the broker under test is told not to
/// require HTTPS metadata): `/{tenant}/v2.0/.well-known/openid-configuration` and its `jwks_uri`, in
/// Entra's format (a `{tenantid}` issuer template for `organizations`/`common`, the tenant's own issuer
/// otherwise, RSA keys with kid/x5t/n/e/x5c/issuer). As in Entra ID, one key set signs every tenant's
/// tokens, and rotating adds a new signing key beside the old one.
/// </summary>
public sealed class FakeEntraId : IAsyncDisposable
{
    private static readonly string[] TenantIndependent = ["common", "organizations", "consumers"];
    private readonly Lock _lock = new();
    private readonly List<FakeEntraKey> _keys = [FakeEntraKey.Create()];
    private WebApplication? _app;
    private int _keySetRequests;

    private FakeEntraId()
    {
    }

    /// <summary>The `Instance` the broker is configured with (trailing slash, as Identity.Web expects).</summary>
    public string Instance { get; private set; } = "";

    /// <summary>How many times the key set was fetched.</summary>
    public int KeySetRequests => Volatile.Read(ref _keySetRequests);

    public string SigningKid
    {
        get
        {
            lock (_lock)
            {
                return _keys[^1].Kid;
            }
        }
    }

    public static async Task<FakeEntraId> StartAsync()
    {
        var fake = new FakeEntraId();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", (string tenant) => Results.Text(fake.Metadata(tenant).ToJsonString(), "application/json"));
        app.MapGet("/{tenant}/discovery/v2.0/keys", (string tenant) =>
        {
            Interlocked.Increment(ref fake._keySetRequests);
            return Results.Text(fake.KeySet(tenant).ToJsonString(), "application/json");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        fake.Instance = $"http://127.0.0.1:{new Uri(address).Port}/";
        fake._app = app;
        return fake;
    }

    public string IssuerFor(string tenant) => $"{Instance}{tenant}/v2.0";

    /// <summary>A new key is published and signs from now on; the old one stays published, as Entra ID rolls over.</summary>
    public void RotateKeys()
    {
        lock (_lock)
        {
            _keys.Add(FakeEntraKey.Create());
        }
    }

    /// <summary>Takes a key out of the published set, as Entra ID does some time after a rollover.</summary>
    public void RetireKey(string kid)
    {
        lock (_lock)
        {
            _keys.RemoveAll(k => k.Kid == kid);
        }
    }

    /// <summary>An Entra ID v2.0 access token (app roles in `roles`), signed with the current key.</summary>
    public string Token(FakeToken token)
    {
        var now = DateTimeOffset.UtcNow;
        var issuedAt = now.Add(token.Lifetime < TimeSpan.Zero ? token.Lifetime - TimeSpan.FromHours(1) : TimeSpan.Zero);
        var payload = new JsonObject
        {
            ["aud"] = token.Audience,
            ["iss"] = IssuerFor(token.IssuerTenant ?? token.TenantId),
            ["iat"] = issuedAt.ToUnixTimeSeconds(),
            ["nbf"] = issuedAt.ToUnixTimeSeconds(),
            ["exp"] = now.Add(token.Lifetime).ToUnixTimeSeconds(),
            ["aio"] = "k2BgYFhS8fLb1uLZc9CzZm3gAA==",
            ["azp"] = "3f6a5b7e-0c1d-4e2f-8a9b-000000000042",
            ["azpacr"] = "1",
            ["oid"] = token.ObjectId,
            ["rh"] = "0.AUoA.",
            ["roles"] = new JsonArray(token.Roles.Select(r => (JsonNode)JsonValue.Create(r)).ToArray()),
            ["sub"] = token.ObjectId,
            ["tid"] = token.TenantId,
            ["uti"] = Guid.NewGuid().ToString("N")[..22],
            ["ver"] = "2.0",
        };
        FakeEntraKey key;
        lock (_lock)
        {
            key = _keys[^1];
        }
        return new JsonWebTokenHandler().CreateToken(payload.ToJsonString(), key.Credentials);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        lock (_lock)
        {
            _keys.ForEach(k => k.Dispose());
        }
    }

    private string IssuerTemplate(string tenant) =>
        IssuerFor(TenantIndependent.Contains(tenant, StringComparer.OrdinalIgnoreCase) ? "{tenantid}" : tenant);

    private JsonObject Metadata(string tenant)
    {
        var endpoints = $"{Instance}{tenant}";
        return new JsonObject
        {
            ["token_endpoint"] = $"{endpoints}/oauth2/v2.0/token",
            ["token_endpoint_auth_methods_supported"] = new JsonArray("client_secret_post", "private_key_jwt", "client_secret_basic"),
            ["jwks_uri"] = $"{endpoints}/discovery/v2.0/keys",
            ["response_modes_supported"] = new JsonArray("query", "fragment", "form_post"),
            ["subject_types_supported"] = new JsonArray("pairwise"),
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            ["response_types_supported"] = new JsonArray("code", "id_token", "code id_token", "id_token token"),
            ["scopes_supported"] = new JsonArray("openid", "profile", "email", "offline_access"),
            ["issuer"] = IssuerTemplate(tenant),
            ["request_uri_parameter_supported"] = false,
            ["userinfo_endpoint"] = "https://graph.microsoft.com/oidc/userinfo",
            ["authorization_endpoint"] = $"{endpoints}/oauth2/v2.0/authorize",
            ["device_authorization_endpoint"] = $"{endpoints}/oauth2/v2.0/devicecode",
            ["http_logout_supported"] = true,
            ["frontchannel_logout_supported"] = true,
            ["end_session_endpoint"] = $"{endpoints}/oauth2/v2.0/logout",
            ["claims_supported"] = new JsonArray("sub", "iss", "cloud_instance_name", "cloud_instance_host_name", "cloud_graph_host_name", "msgraph_host", "aud", "exp", "iat", "auth_time", "acr", "nonce", "preferred_username", "name", "tid", "ver", "at_hash", "c_hash", "email"),
            ["kerberos_endpoint"] = $"{endpoints}/kerberos",
            ["tenant_region_scope"] = "EU",
            ["cloud_instance_name"] = "microsoftonline.com",
            ["cloud_graph_host_name"] = "graph.windows.net",
            ["msgraph_host"] = "graph.microsoft.com",
            ["rbac_url"] = "https://pas.windows.net",
        };
    }

    private JsonObject KeySet(string tenant)
    {
        lock (_lock)
        {
            return new JsonObject { ["keys"] = new JsonArray(_keys.Select(k => (JsonNode)k.ToJwk(IssuerTemplate(tenant))).ToArray()) };
        }
    }
}

/// <summary>What a test asks the fake Entra ID to sign.</summary>
public sealed record FakeToken(string TenantId, string Audience, params string[] Roles)
{
    /// <summary>Another tenant's issuer for the same `tid` (a forged pairing).</summary>
    public string? IssuerTenant { get; init; }

    public string ObjectId { get; init; } = Guid.NewGuid().ToString();

    public TimeSpan Lifetime { get; init; } = TimeSpan.FromHours(1);
}
