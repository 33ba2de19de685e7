using System.Security.Cryptography;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace BalticAI.Sovereignty.Testing.KeyVault;

/// <summary>The keys REST API as Key Vault answers it (api-version 7.x), with its error bodies.</summary>
internal static class FakeKeyVaultApi
{
    public static void Map(WebApplication app, FakeKeyVault vault)
    {
        app.Use(async (http, next) =>
        {
            var authorized = http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.Ordinal);
            vault.Requests.Enqueue((http.Request.Method, http.Request.Path + http.Request.QueryString, authorized));
            if (Refused(http, vault) is { } refusal)
            {
                await refusal.ExecuteAsync(http);
                return;
            }
            await next(http);
        });
        var keys = app.MapGroup("/keys/{name}");
        keys.MapPost("/create", async (string name, HttpRequest request) =>
        {
            var body = await Body(request);
            return Allowed(vault, "create") ?? UnsupportedKeyType(vault, body) ?? Results.Json(vault.Keys.Bundle(vault.Keys.Create(name)));
        });
        keys.MapPost("/rotate", (string name) => Allowed(vault, "rotate")
            ?? (vault.Keys.Versions(name) is null ? KeyNotFound(name, null) : Results.Json(vault.Keys.Bundle(vault.Keys.Create(name)))));
        keys.MapGet("", (string name) => Get(vault, name, null));
        keys.MapGet("/versions", (string name, int? maxresults, HttpRequest request) =>
            Allowed(vault, "list") ?? ListVersions(vault, name, maxresults, request.Query["$skiptoken"].ToString()));
        keys.MapGet("/{version}", (string name, string version) => Get(vault, name, version));
        keys.MapPatch("/{version}", async (string name, string version, HttpRequest request) =>
        {
            var body = await Body(request);
            if (Allowed(vault, "update") is { } refused)
            {
                return refused;
            }
            var key = vault.Keys.Find(name, version);
            if (key is null)
            {
                return KeyNotFound(name, version);
            }
            if (body?["attributes"]?["enabled"] is { } enabled)
            {
                key.SetEnabled(enabled.GetValue<bool>());
            }
            else
            {
                key.Touch();
            }
            return Results.Json(vault.Keys.Bundle(key));
        });
        keys.MapPost("/{version}/sign", async (string name, string version, HttpRequest request) =>
        {
            var body = await Body(request);
            return Allowed(vault, "sign") ?? Usable(vault, name, version, "sign", out var key) ?? Sign(vault, key!, body);
        });
        keys.MapPost("/{version}/verify", async (string name, string version, HttpRequest request) =>
        {
            var body = await Body(request);
            FakeKeyVersion? key = null;
            if ((Allowed(vault, "verify") ?? Usable(vault, name, version, "verify", out key)) is { } refused)
            {
                return refused;
            }
            var verified = key!.Key.VerifyHash(Base64Url.Decode(body!["digest"]!.GetValue<string>()), Base64Url.Decode(body["value"]!.GetValue<string>()),
                DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            return Results.Json(new JsonObject { ["value"] = verified });
        });
    }

    /// <summary>What Key Vault checks before the operation: api-version, the bearer token, then injected faults.</summary>
    private static IResult? Refused(HttpContext http, FakeKeyVault vault)
    {
        if (string.IsNullOrEmpty(http.Request.Query["api-version"]))
        {
            return Error(400, "BadParameter", "The request URI contains an invalid or missing api-version.");
        }
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return Challenge(http, vault, "AKV10000: Request is missing a Bearer or PoP token.");
        }
        if (FakeToken.Read(header["Bearer ".Length..]) is not { Tenant: FakeKeyVault.TenantId } token)
        {
            return Challenge(http, vault, $"AKV10032: Invalid issuer. Expected one of https://sts.windows.net/{FakeKeyVault.TenantId}/.");
        }
        if (token.Scope != vault.Resource + "/.default")
        {
            return Challenge(http, vault, $"AKV10022: Invalid audience. Expected {vault.Resource}, found: {token.Scope}.");
        }
        if (token.CaeCapable && vault.RevokesCaeToken(token.IssuedAt) is { } revokedAt)
        {
            return ClaimsChallenge(http, revokedAt);
        }
        if (vault.TryTakeFault(out var status))
        {
            // Not only throttling: a gateway in front of the vault may ask for a wait with a 5xx or 408 too.
            var invariant = System.Globalization.CultureInfo.InvariantCulture;
            if ((vault.RetryAfterDate?.ToString("r", invariant) ?? vault.RetryAfterSeconds?.ToString(invariant)) is { } retryAfter)
            {
                http.Response.Headers.RetryAfter = retryAfter;
            }
            if (vault.RetryAfterMs is { } ms)
            {
                http.Response.Headers["retry-after-ms"] = ms.ToString(invariant);
            }
            if (vault.XMsRetryAfterMs is { } xMs)
            {
                http.Response.Headers["x-ms-retry-after-ms"] = xMs.ToString(invariant);
            }
            return status == 429
                ? Error(429, "Throttled", "Request was not processed because too many requests were received. Reason: VaultRequestTypeLimitReached")
                : Error(status, status >= 500 ? "InternalServerError" : "BadRequest", "Injected fault.");
        }
        return null;
    }

    private static IResult Challenge(HttpContext http, FakeKeyVault vault, string message)
    {
        http.Response.Headers.WWWAuthenticate =
            $"Bearer authorization=\"https://login.microsoftonline.com/{FakeKeyVault.TenantId}\", resource=\"{vault.Resource}\"";
        return Error(401, "Unauthorized", message);
    }

    /// <summary>
    /// The claims challenge a CAE-enabled resource answers a revoked token with (Entra's documented format): no resource,
    /// the common authority, and base64 claims asking for a token issued no earlier than the revoking event.
    /// </summary>
    private static IResult ClaimsChallenge(HttpContext http, DateTimeOffset revokedAt)
    {
        var nbf = ((revokedAt.ToUnixTimeMilliseconds() + 999) / 1000).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var claims = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{{\"access_token\":{{\"nbf\":{{\"essential\":true, \"value\":\"{nbf}\"}}}}}}"));
        http.Response.Headers.WWWAuthenticate =
            $"Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", error=\"insufficient_claims\", claims=\"{claims}\"";
        return Error(401, "Unauthorized", "AKV10013: Token was revoked by a continuous access evaluation event.");
    }

    /// <summary>A P-256 key of a type the vault holds: a Managed HSM holds HSM-protected keys only.</summary>
    private static IResult? UnsupportedKeyType(FakeKeyVault vault, JsonObject? body)
    {
        var kty = body?["kty"]?.GetValue<string>();
        return kty == "EC-HSM" || (kty == "EC" && !vault.IsManagedHsm)
            ? null
            : Error(400, "BadParameter", $"Invalid key type '{kty}': {(vault.IsManagedHsm ? "a Managed HSM supports EC-HSM, RSA-HSM and oct-HSM keys only" : "expected EC or EC-HSM")}.");
    }

    private static IResult? Allowed(FakeKeyVault vault, string operation) => vault.Permissions.Contains(operation)
        ? null
        : Error(403, "Forbidden", "Caller is not authorized to perform action on resource.\r\nIf role assignments, deny assignments or role definitions were changed recently, please observe propagation time.",
            new JsonObject { ["code"] = "ForbiddenByRbac" });

    private static IResult Get(FakeKeyVault vault, string name, string? version)
    {
        if (Allowed(vault, "get") is { } refused)
        {
            return refused;
        }
        var key = vault.Keys.Find(name, version);
        return key is null ? KeyNotFound(name, version) : Results.Json(vault.Keys.Bundle(key));
    }

    private static IResult ListVersions(FakeKeyVault vault, string name, int? maxResults, string skipToken)
    {
        var versions = vault.Keys.Versions(name);
        if (versions is null)
        {
            return KeyNotFound(name, null);
        }
        var size = Math.Min(vault.PageSize, maxResults ?? 25);
        var skip = int.TryParse(skipToken, out var n) ? n : 0;
        var page = new JsonObject { ["value"] = new JsonArray([.. versions.Skip(skip).Take(size).Select(v => vault.Keys.Item(v))]) };
        page["nextLink"] = skip + size < versions.Count
            ? new Uri(vault.VaultUri, $"keys/{name}/versions?api-version=7.5&$skiptoken={skip + size}&maxresults={size}").ToString()
            : null;
        return Results.Json(page);
    }

    private static IResult? Usable(FakeKeyVault vault, string name, string version, string operation, out FakeKeyVersion? key)
    {
        key = vault.Keys.Find(name, version);
        if (key is null)
        {
            return KeyNotFound(name, version);
        }
        return key.Enabled ? null : Error(403, "Forbidden", $"Operation {operation} is not allowed on a disabled key.");
    }

    private static IResult Sign(FakeKeyVault vault, FakeKeyVersion key, JsonObject? body)
    {
        if (body?["alg"]?.GetValue<string>() != "ES256")
        {
            return Error(400, "BadParameter", "Invalid algorithm for the key type EC with curve P-256.");
        }
        var digest = Base64Url.Decode(body["value"]!.GetValue<string>());
        if (digest.Length != 32)
        {
            return Error(400, "BadParameter", "Invalid digest length for ES256.");
        }
        var signature = key.Key.SignHash(digest, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return Results.Json(new JsonObject { ["kid"] = vault.Keys.Id(key), ["value"] = Base64Url.Encode(signature) });
    }

    private static IResult KeyNotFound(string name, string? version) => Error(404, "KeyNotFound",
        $"A key with (name/id) {name}{(version is null ? "" : "/" + version)} was not found in this key vault. If you recently deleted this key you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182");

    private static IResult Error(int status, string code, string message, JsonObject? inner = null)
    {
        var error = new JsonObject { ["code"] = code, ["message"] = message };
        if (inner is not null)
        {
            error["innererror"] = inner;
        }
        return Results.Json(new JsonObject { ["error"] = error }, statusCode: status);
    }

    private static async Task<JsonObject?> Body(HttpRequest request) =>
        request.ContentLength is 0 or null && !request.Headers.ContentType.Any() ? null : await JsonNode.ParseAsync(request.Body) as JsonObject;
}
