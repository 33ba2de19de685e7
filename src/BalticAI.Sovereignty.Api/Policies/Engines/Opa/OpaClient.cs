using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Policies.Bundles;
using BalticAI.Sovereignty.Security;

namespace BalticAI.Sovereignty.Api.Policies.Engines.Opa;

/// <summary>
/// OPA's REST API as documented (v1): Policy API to load modules, Data API to load data and to
/// evaluate, Query API to evaluate a reference together with the <see cref="OpaPin"/>. Errors come
/// back as OPA's error bodies (`code`, `message`, `errors[]`).
/// </summary>
public sealed class OpaClient(HttpClient http)
{
    /// <summary>Replaces every module and the `balticai` data tree with the bundle's, between removing and writing the <see cref="OpaPin"/>.</summary>
    public async Task LoadAsync(PolicyBundle bundle, CancellationToken ct)
    {
        var loaded = await ListPoliciesAsync(ct);
        if (loaded.Remove(OpaPin.PolicyId) && await TryApplyAsync(new ModuleStep(OpaPin.PolicyId, null), ct) is { } unpinning)
        {
            throw new PolicyEngineUnavailableException($"OPA refused to remove the broker's pin: {unpinning.Message}");
        }
        // Data first: modules may refer to it, and OPA checks the refs it can resolve when compiling.
        await SendAsync(HttpMethod.Put, $"v1/data/{PolicyBundleLoader.DataRoot}",
            JsonContent.Create(bundle.Data[PolicyBundleLoader.DataRoot]), ct);
        // OPA compiles each write against the modules it holds at that moment, so a module calling a function of
        // a module not loaded yet, or the removal of a stale module that a loaded one still calls, is refused
        // (400). The Policy API cannot swap a whole set at once: retry the refused steps while a pass makes progress.
        // New sources go first, so that fewer loaded modules still call the stale ones when those are removed.
        var steps = bundle.Modules.Where(m => !loaded.TryGetValue(m.Path, out var raw) || raw != m.Source).Select(m => new ModuleStep(m.Path, m.Source))
            .Concat(loaded.Keys.Except(bundle.Modules.Select(m => m.Path), StringComparer.Ordinal).Select(stale => new ModuleStep(stale, null)))
            .ToList();
        while (steps.Count > 0)
        {
            var refused = new List<(ModuleStep Step, OpaError Error)>();
            foreach (var step in steps)
            {
                if (await TryApplyAsync(step, ct) is { } error)
                {
                    refused.Add((step, error));
                }
            }
            if (refused.Count == steps.Count)
            {
                var (first, firstError) = refused[0];
                var what = first.Source is null ? $"the removal of module {first.Path}" : $"module {first.Path}";
                throw new PolicyBundleInvalidException($"OPA refused {what}: {firstError.Message}",
                    refused.SelectMany(r => r.Error.Details.Count > 0 ? r.Error.Details : [$"{r.Step.Path}: {r.Error.Code}: {r.Error.Message}"]).ToList());
            }
            steps = refused.Select(r => r.Step).ToList();
        }
        if (await TryApplyAsync(new ModuleStep(OpaPin.PolicyId, OpaPin.Source(bundle)), ct) is { } pinning)
        {
            throw new PolicyBundleInvalidException($"OPA refused the broker's pin after the bundle: {pinning.Message}",
                pinning.Details.Count > 0 ? pinning.Details : [$"{OpaPin.PolicyId}: {pinning.Code}: {pinning.Message}"]);
        }
    }

    /// <summary>
    /// True when OPA holds exactly the bundle's modules, its pin and the bundle's `balticai` data. Each data key is read
    /// on its own: GET /v1/data/balticai would also evaluate every rule below it (OPA merges base and virtual
    /// documents), so it never equals the data alone. Keys OPA may hold beyond the bundle's are not listed.
    /// </summary>
    public async Task<bool> HoldsAsync(PolicyBundle bundle, CancellationToken ct)
    {
        var loaded = await ListPoliciesAsync(ct);
        if (!loaded.Remove(OpaPin.PolicyId, out var pin) || pin != OpaPin.Source(bundle)
            || loaded.Count != bundle.Modules.Count || bundle.Modules.Any(m => !loaded.TryGetValue(m.Path, out var raw) || raw != m.Source))
        {
            return false;
        }
        foreach (var (key, expected) in bundle.Data[PolicyBundleLoader.DataRoot]?.AsObject() ?? [])
        {
            var response = await SendAsync(HttpMethod.Get, $"v1/data/{PolicyBundleLoader.DataRoot}/{Uri.EscapeDataString(key)}", null, ct);
            if (response is not JsonObject body || !body.TryGetPropertyValue("result", out var actual)
                || !CanonicalJson.Serialize(actual).AsSpan().SequenceEqual(CanonicalJson.Serialize(expected)))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>POST /v1/data/{path} with the input; null when OPA's result is undefined.</summary>
    public async Task<JsonNode?> EvaluateAsync(string query, JsonNode input, CancellationToken ct)
    {
        var response = await EvaluationAsync("v1/data/" + QueryPath(query), new JsonObject { ["input"] = input.DeepClone() }, ct);
        return response?["result"];
    }

    /// <summary>
    /// POST /v1/query: evaluates a Rego body with the input, all of it against one snapshot of OPA's store; the bindings of
    /// each solution (none when the body is undefined; OPA then leaves `result` out).
    /// </summary>
    public async Task<JsonArray> QueryAsync(string query, JsonNode input, CancellationToken ct)
    {
        var response = await EvaluationAsync("v1/query", new JsonObject { ["query"] = query, ["input"] = input.DeepClone() }, ct);
        return response?["result"] as JsonArray ?? [];
    }

    private static string QueryPath(string query) => string.Join('/', Keys(query).Select(Uri.EscapeDataString));

    /// <summary>The keys below `data` of a dotted reference such as `data.balticai.access.decision`.</summary>
    public static IReadOnlyList<string> Keys(string reference)
    {
        if (!reference.StartsWith("data.", StringComparison.Ordinal))
        {
            throw new ArgumentException("only data references can be evaluated in OPA", nameof(reference));
        }
        return reference["data.".Length..].Split('.');
    }

    private async Task<Dictionary<string, string>> ListPoliciesAsync(CancellationToken ct)
    {
        var response = await SendAsync(HttpMethod.Get, "v1/policies", null, ct);
        return (response?["result"]?.AsArray() ?? [])
            .Where(p => p is not null)
            .ToDictionary(p => p!["id"]!.GetValue<string>(), p => p!["raw"]?.GetValue<string>() ?? "", StringComparer.Ordinal);
    }

    /// <summary>PUT or DELETE of one module; OPA's error when it refuses the step (400), null when applied.</summary>
    private async Task<OpaError?> TryApplyAsync(ModuleStep step, CancellationToken ct)
    {
        var path = $"v1/policies/{Uri.EscapeDataString(step.Path)}";
        var answer = step.Source is null
            ? await ExchangeAsync(HttpMethod.Delete, path, null, ct)
            : await ExchangeAsync(HttpMethod.Put, path, new StringContent(step.Source, Encoding.UTF8, "text/plain"), ct);
        return answer.Status switch
        {
            _ when (int)answer.Status is >= 200 and < 300 => null,
            HttpStatusCode.BadRequest => OpaError.Parse(answer.Text),
            _ => throw Unavailable(answer),
        };
    }

    private async Task<JsonNode?> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken ct)
    {
        var answer = await ExchangeAsync(method, path, content, ct);
        return (int)answer.Status is >= 200 and < 300 ? Body(answer) : throw Unavailable(answer);
    }

    /// <summary>A POST that evaluates: also an error the policy raises on this input is OPA's answer, not OPA failing.</summary>
    private async Task<JsonNode?> EvaluationAsync(string path, JsonObject body, CancellationToken ct)
    {
        var answer = await ExchangeAsync(HttpMethod.Post, path, JsonContent.Create(body), ct);
        if ((int)answer.Status is >= 200 and < 300)
        {
            return Body(answer);
        }
        throw OpaError.Parse(answer.Text).PolicyErrors(answer.Status) is { } errors ? new PolicyEvaluationFailedException(errors) : Unavailable(answer);
    }

    private static JsonNode? Body(OpaAnswer answer) => string.IsNullOrWhiteSpace(answer.Text) ? null : JsonNode.Parse(answer.Text);

    private async Task<OpaAnswer> ExchangeAsync(HttpMethod method, string path, HttpContent? content, CancellationToken ct)
    {
        try
        {
            using var request = new HttpRequestMessage(method, path) { Content = content };
            using var response = await http.SendAsync(request, ct);
            return new OpaAnswer(response.StatusCode, await response.Content.ReadAsStringAsync(ct), OpaRetryAfter.From(response));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or Polly.CircuitBreaker.BrokenCircuitException or Polly.Timeout.TimeoutRejectedException && !ct.IsCancellationRequested)
        {
            // An open circuit knows when it will let a request through again; Polly measured that when it refused this one.
            throw new PolicyEngineUnavailableException($"OPA at {http.BaseAddress} cannot be reached: {e.Message}", e)
            {
                RetryAfter = (e as Polly.CircuitBreaker.BrokenCircuitException)?.RetryAfter,
            };
        }
    }

    private static PolicyEngineUnavailableException Unavailable(OpaAnswer answer)
    {
        var error = OpaError.Parse(answer.Text);
        return new PolicyEngineUnavailableException($"OPA answered {(int)answer.Status} {error.Code}: {error.Message}") { RetryAfter = answer.RetryAfter };
    }

    /// <summary>One HTTP answer of OPA (or of a proxy in front of it): the wait it asked for with a 429 or 503, if any.</summary>
    private sealed record OpaAnswer(HttpStatusCode Status, string Text, TimeSpan? RetryAfter);

    /// <summary>One Policy API write: PUT the module's source, or DELETE it when <see cref="Source"/> is null.</summary>
    private sealed record ModuleStep(string Path, string? Source);
}

/// <summary>OPA's error body: {"code": "...", "message": "...", "errors": [{"code","message","location"}]}.</summary>
internal sealed record OpaError(string Code, string Message, IReadOnlyList<string> Details, IReadOnlyList<OpaError.Cause> Causes)
{
    // OPA's codes for an error the policy raised while evaluating (v1/topdown/errors.go); eval_cancel_error (a deadline,
    // the caller gone) and eval_internal_error (OPA's own fault) are not the policy's and may pass on a retry.
    private static readonly HashSet<string> PolicyErrorCodes = new(StringComparer.Ordinal)
    {
        "eval_conflict_error", "eval_type_error", "eval_builtin_error", "eval_with_merge_error",
    };

    /// <summary>One entry of `errors[]`: row 0 when it has no location.</summary>
    public sealed record Cause(string Code, string Message, string? File, int Row);

    /// <summary>
    /// The errors of an evaluation that fails the same way on every retry, as <see cref="PolicyEvaluationFailedException"/>
    /// prints them; null for any other failure. OPA's server (v1/server/server.go, writer.ErrorAuto) answers an error the
    /// policy raised with 500 `internal_error` "error(s) occurred while evaluating query" and that topdown error in
    /// `errors[]`, and a query its type checker rejects (a reference into a value that has no such key) with 400
    /// `invalid_parameter` "error(s) occurred while compiling query" and `rego_type_error`s. A 500 without such errors is
    /// OPA (or a proxy) failing; a query that does not parse is the broker's own fault, which no bundle can mend.
    /// </summary>
    public IReadOnlyList<string>? PolicyErrors(HttpStatusCode status)
    {
        var raisedByPolicy = status switch
        {
            HttpStatusCode.InternalServerError => Code == "internal_error" && Causes.All(c => PolicyErrorCodes.Contains(c.Code)),
            HttpStatusCode.BadRequest => Code == "invalid_parameter" && Causes.All(c => c.Code == "rego_type_error"),
            _ => false,
        };
        return raisedByPolicy && Causes.Count > 0
            ? Causes.Select(c => PolicyEvaluationFailedException.Format(c.Code, c.Message, c.File, c.Row)).ToList()
            : null;
    }

    /// <summary>Whether <paramref name="response"/> is a 500 carrying an error the policy raised (<see cref="PolicyErrors"/>).</summary>
    public static async ValueTask<bool> RaisedByPolicyAsync(HttpResponseMessage? response, CancellationToken ct)
    {
        if (response is not { StatusCode: HttpStatusCode.InternalServerError })
        {
            return false;
        }
        // Buffered: the client reads the same body once the pipeline hands the answer on.
        await response.Content.LoadIntoBufferAsync(ct);
        return Parse(await response.Content.ReadAsStringAsync(ct)).PolicyErrors(response.StatusCode) is not null;
    }

    public static OpaError Parse(string text)
    {
        try
        {
            var node = JsonNode.Parse(text);
            var errors = node?["errors"]?.AsArray() ?? [];
            var details = errors
                .Select(e => $"{e?["location"]?["file"]}:{e?["location"]?["row"]}:{e?["location"]?["col"]}: {e?["code"]}: {e?["message"]}")
                .ToList();
            var causes = errors.Select(e => new Cause(Text(e?["code"]) ?? "", Text(e?["message"]) ?? "", Text(e?["location"]?["file"]),
                e?["location"]?["row"] is JsonValue row && row.TryGetValue<int>(out var r) ? r : 0)).ToList();
            return new OpaError(Text(node?["code"]) ?? "unknown", Text(node?["message"]) ?? text, details, causes);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
        {
            return new OpaError("unknown", text, [], []);
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
