using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace BalticAI.Sovereignty.Security.KeyVault;

/// <summary>
/// The few operations of the Key Vault keys REST API (api-version 7.5) the broker needs, sent through
/// Azure.Core's pipeline: challenge authentication, retries with Retry-After, diagnostics. Every
/// failure the vault reports is a <see cref="KeyVaultRequestException"/> carrying its error code.
/// </summary>
public sealed class KeyVaultKeysClient
{
    public const string ApiVersion = "7.5";
    private readonly Uri _vault;
    private readonly HttpPipeline _pipeline;
    private readonly string _ecKeyType;

    public KeyVaultKeysClient(Uri vaultUri, TokenCredential credential, KeyVaultPipelineOptions options, bool verifyChallengeResource = true)
    {
        _vault = new Uri(vaultUri.GetLeftPart(UriPartial.Authority) + "/");
        // A Managed HSM holds HSM-protected keys only and refuses kty EC; a standard-tier vault holds software keys only.
        _ecKeyType = KeyVaultHosts.Named(_vault.Host)?.Kind == KeyVaultKind.ManagedHsm ? "EC-HSM" : "EC";
        _pipeline = HttpPipelineBuilder.Build(options, [], [new KeyVaultChallengePolicy(credential, verifyChallengeResource)],
            new KeyVaultThrottleClassifier(options.LongestRetriedWait));
    }

    /// <summary>Creates a key, or a new version of it: EC P-256 for sign and verify only (EC-HSM in a Managed HSM).</summary>
    public Task<KeyVaultKeyVersion> CreateEcKeyAsync(string name, CancellationToken ct) =>
        SendForKeyAsync(RequestMethod.Post, $"{Key(name)}/create", new JsonObject
        {
            ["kty"] = _ecKeyType,
            ["crv"] = "P-256",
            ["key_ops"] = new JsonArray("sign", "verify"),
            ["attributes"] = new JsonObject { ["enabled"] = true },
        }, ct);

    /// <summary>The newest version when <paramref name="version"/> is null.</summary>
    public Task<KeyVaultKeyVersion> GetKeyAsync(string name, string? version, CancellationToken ct) =>
        SendForKeyAsync(RequestMethod.Get, version is null ? Key(name) : Key(name, version), null, ct);

    /// <summary>Creates a new version following the key's rotation policy (needs the rotate permission).</summary>
    public Task<KeyVaultKeyVersion> RotateKeyAsync(string name, CancellationToken ct) =>
        SendForKeyAsync(RequestMethod.Post, $"{Key(name)}/rotate", null, ct);

    /// <summary>Enables or disables one version; disabling is how a compromised version is revoked.</summary>
    public Task<KeyVaultKeyVersion> SetEnabledAsync(string name, string version, bool enabled, CancellationToken ct) =>
        SendForKeyAsync(RequestMethod.Patch, Key(name, version), new JsonObject { ["attributes"] = new JsonObject { ["enabled"] = enabled } }, ct);

    /// <summary>Every version of a key (attributes only, no key material), following <c>nextLink</c> pages.</summary>
    public async IAsyncEnumerable<KeyVaultKeyVersion> ListVersionsAsync(string name, [EnumeratorCancellation] CancellationToken ct)
    {
        Uri? page = Address($"{Key(name)}/versions", "&maxresults=25");
        while (page is not null)
        {
            var body = await SendAsync(RequestMethod.Get, page, null, ct);
            var (items, next) = Readable(body, b => ((b["value"]?.AsArray() ?? []).Select(item => KeyVaultKeyVersion.Parse(item!.AsObject())).ToList(), b["nextLink"]?.GetValue<string>()));
            foreach (var item in items)
            {
                yield return item;
            }
            page = NextLink(next);
        }
    }

    /// <summary>Signs a SHA-256 digest with ES256; the vault returns the JOSE R||S signature and the version's id.</summary>
    public async Task<(Uri KeyId, byte[] Signature)> SignAsync(string name, string version, byte[] digest, CancellationToken ct)
    {
        var body = await SendAsync(RequestMethod.Post, Address($"{Key(name, version)}/sign"),
            new JsonObject { ["alg"] = "ES256", ["value"] = Base64Url.Encode(digest) }, ct);
        return Readable(body, b => (new Uri(Required(b, "kid")), Base64Url.Decode(Required(b, "value"))));
    }

    /// <summary>Asks the vault to verify (the broker verifies locally with the published key; this is for checks).</summary>
    public async Task<bool> VerifyAsync(string name, string version, byte[] digest, byte[] signature, CancellationToken ct)
    {
        var body = await SendAsync(RequestMethod.Post, Address($"{Key(name, version)}/verify"),
            new JsonObject { ["alg"] = "ES256", ["digest"] = Base64Url.Encode(digest), ["value"] = Base64Url.Encode(signature) }, ct);
        return Readable(body, b => b["value"]?.GetValue<bool>() ?? false);
    }

    private async Task<KeyVaultKeyVersion> SendForKeyAsync(RequestMethod method, string path, JsonObject? content, CancellationToken ct) =>
        Readable(await SendAsync(method, Address(path), content, ct), KeyVaultKeyVersion.Parse);

    /// <summary>
    /// The path of a key or of one version. Key Vault names are letters, digits and '-', versions letters and
    /// digits; anything else (a '/', "..") would make the request reach another key or another kind of object.
    /// </summary>
    private static string Key(string name, string? version = null)
    {
        if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            throw new ArgumentException($"'{name}' is not a Key Vault key name (letters, digits and '-')", nameof(name));
        }
        if (version is not null && (version.Length == 0 || !version.All(char.IsAsciiLetterOrDigit)))
        {
            throw new ArgumentException($"'{version}' is not a version of key {name} (letters and digits)", nameof(version));
        }
        return version is null ? $"keys/{name}" : $"keys/{name}/{version}";
    }

    private Uri Address(string path, string query = "") => new(_vault, $"{path}?api-version={ApiVersion}{query}");

    /// <summary>A next page must stay on the vault: the bearer token is never sent anywhere else.</summary>
    private Uri? NextLink(string? link)
    {
        if (string.IsNullOrEmpty(link))
        {
            return null;
        }
        if (!Uri.TryCreate(link, UriKind.Absolute, out var next))
        {
            throw new KeyVaultRequestException(502, "MalformedResponse", $"the next page '{link}' is not an absolute URL");
        }
        if (Uri.Compare(next, _vault, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) != 0)
        {
            throw new KeyVaultRequestException(502, "ForeignNextLink", $"the next page '{next.GetLeftPart(UriPartial.Authority)}' is not on the vault");
        }
        return next;
    }

    private async Task<JsonObject> SendAsync(RequestMethod method, Uri address, JsonObject? content, CancellationToken ct)
    {
        using var message = _pipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(address);
        message.Request.Headers.Add("Accept", "application/json");
        if (content is not null)
        {
            message.Request.Headers.Add("Content-Type", "application/json");
            message.Request.Content = RequestContent.Create(JsonSerializer.SerializeToUtf8Bytes(content));
        }
        await _pipeline.SendAsync(message, ct);
        var response = message.Response;
        var body = ParseBody(response);
        if (response.Status is >= 200 and < 300)
        {
            return body ?? [];
        }
        var error = body?["error"] as JsonObject;
        throw new KeyVaultRequestException(response.Status,
            Text(error?["code"]) ?? response.ReasonPhrase,
            Text(error?["message"]) ?? "no error body",
            Text((error?["innererror"] as JsonObject)?["code"]))
        {
            RetryAfter = KeyVaultThrottleClassifier.RetryAfter(response),
        };
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static JsonObject? ParseBody(Response response)
    {
        if (response.Content is null || response.Content.ToMemory().IsEmpty)
        {
            return null;
        }
        try
        {
            return JsonNode.Parse(response.Content.ToMemory().Span) as JsonObject;
        }
        catch (JsonException)
        {
            // A proxy's HTML error page: the status still says what happened.
            return null;
        }
    }

    /// <summary>
    /// A success the broker cannot read (a proxy's page, a kid that is no key URL, a signature that is not
    /// base64url) is the vault failing like any other: a <see cref="KeyVaultRequestException"/>, so signing
    /// fails closed with 503 instead of the request ending in a server error.
    /// </summary>
    private static T Readable<T>(JsonObject body, Func<JsonObject, T> read)
    {
        try
        {
            return read(body);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or JsonException)
        {
            throw new KeyVaultRequestException(502, "MalformedResponse", $"the vault's answer cannot be read: {e.Message}");
        }
    }

    private static string Required(JsonObject body, string name) =>
        body[name]?.GetValue<string>() ?? throw new KeyVaultRequestException(502, "MalformedResponse", $"the vault's answer has no '{name}'");
}
