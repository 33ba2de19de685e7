using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Policies.Bundles;
using BalticAI.Sovereignty.Security;

namespace BalticAI.Sovereignty.Api.Policies.Engines.Opa;

/// <summary>
/// OPA's REST API as documented (v1): Policy API to load modules, Data API to load data and to
/// evaluate. Errors come back as OPA's error bodies (`code`, `message`, `errors[]`).
/// </summary>
public sealed class OpaClient(HttpClient http)
{
    /// <summary>Replaces every module and the `balticai` data tree with the bundle's.</summary>
    public async Task LoadAsync(PolicyBundle bundle, CancellationToken ct)
    {
        var loaded = await ListPoliciesAsync(ct);
        foreach (var stale in loaded.Keys.Except(bundle.Modules.Select(m => m.Path), StringComparer.Ordinal))
        {
            await SendAsync(HttpMethod.Delete, $"v1/policies/{Uri.EscapeDataString(stale)}", null, ct);
        }
        // Data first: modules may refer to it, and OPA checks the refs it can resolve when compiling.
        await SendAsync(HttpMethod.Put, $"v1/data/{PolicyBundleLoader.DataRoot}",
            JsonContent.Create(bundle.Data[PolicyBundleLoader.DataRoot]), ct);
        foreach (var module in bundle.Modules)
        {
            await SendAsync(HttpMethod.Put, $"v1/policies/{Uri.EscapeDataString(module.Path)}",
                new StringContent(module.Source, Encoding.UTF8, "text/plain"), ct);
        }
    }

    /// <summary>True when OPA holds exactly the bundle's modules and data, nothing more.</summary>
    public async Task<bool> HoldsAsync(PolicyBundle bundle, CancellationToken ct)
    {
        var loaded = await ListPoliciesAsync(ct);
        if (loaded.Count != bundle.Modules.Count || bundle.Modules.Any(m => !loaded.TryGetValue(m.Path, out var raw) || raw != m.Source))
        {
            return false;
        }
        var data = await GetDataAsync(PolicyBundleLoader.DataRoot, ct);
        return data is not null
            && CanonicalJson.Serialize(data).AsSpan().SequenceEqual(CanonicalJson.Serialize(bundle.Data[PolicyBundleLoader.DataRoot]));
    }

    /// <summary>POST /v1/data/{path} with the input; null when OPA's result is undefined.</summary>
    public async Task<JsonNode?> EvaluateAsync(string query, JsonNode input, CancellationToken ct)
    {
        var body = new JsonObject { ["input"] = input.DeepClone() };
        var response = await SendAsync(HttpMethod.Post, "v1/data/" + QueryPath(query), JsonContent.Create(body), ct);
        return response?["result"];
    }

    public static string QueryPath(string query)
    {
        if (!query.StartsWith("data.", StringComparison.Ordinal))
        {
            throw new ArgumentException("only data references can be evaluated over the Data API", nameof(query));
        }
        return string.Join('/', query["data.".Length..].Split('.').Select(Uri.EscapeDataString));
    }

    private async Task<Dictionary<string, string>> ListPoliciesAsync(CancellationToken ct)
    {
        var response = await SendAsync(HttpMethod.Get, "v1/policies", null, ct);
        return (response?["result"]?.AsArray() ?? [])
            .Where(p => p is not null)
            .ToDictionary(p => p!["id"]!.GetValue<string>(), p => p!["raw"]?.GetValue<string>() ?? "", StringComparer.Ordinal);
    }

    private async Task<JsonNode?> GetDataAsync(string path, CancellationToken ct) =>
        (await SendAsync(HttpMethod.Get, "v1/data/" + path, null, ct))?["result"];

    private async Task<JsonNode?> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            using var request = new HttpRequestMessage(method, path) { Content = content };
            response = await http.SendAsync(request, ct);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or Polly.CircuitBreaker.BrokenCircuitException or Polly.Timeout.TimeoutRejectedException && !ct.IsCancellationRequested)
        {
            throw new PolicyEngineUnavailableException($"OPA at {http.BaseAddress} cannot be reached: {e.Message}", e);
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            if (response.IsSuccessStatusCode)
            {
                return string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
            }
            var error = OpaError.Parse(text);
            if (response.StatusCode == HttpStatusCode.BadRequest && method == HttpMethod.Put && path.StartsWith("v1/policies/", StringComparison.Ordinal))
            {
                throw new PolicyBundleInvalidException($"OPA refused module {Uri.UnescapeDataString(path["v1/policies/".Length..])}: {error.Message}", error.Details);
            }
            throw new PolicyEngineUnavailableException($"OPA answered {(int)response.StatusCode} {error.Code}: {error.Message}");
        }
    }
}

/// <summary>OPA's error body: {"code": "...", "message": "...", "errors": [{"code","message","location"}]}.</summary>
internal sealed record OpaError(string Code, string Message, IReadOnlyList<string> Details)
{
    public static OpaError Parse(string text)
    {
        try
        {
            var node = JsonNode.Parse(text);
            var details = (node?["errors"]?.AsArray() ?? [])
                .Select(e => $"{e?["location"]?["file"]}:{e?["location"]?["row"]}:{e?["location"]?["col"]}: {e?["code"]}: {e?["message"]}")
                .ToList();
            return new OpaError(node?["code"]?.GetValue<string>() ?? "unknown", node?["message"]?.GetValue<string>() ?? text, details);
        }
        catch (System.Text.Json.JsonException)
        {
            return new OpaError("unknown", text, []);
        }
    }
}
