using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Decisions;
using BalticAI.Sovereignty.Api.Tests.Identity;
using BalticAI.Sovereignty.Api.Tests.Provenance;
using Microsoft.AspNetCore.Routing.Patterns;

namespace BalticAI.Sovereignty.Api.Tests.Platform;

/// <summary>One request carrying one bad character in one input of one route, sent as <see cref="Role"/> (null: no token).</summary>
public sealed record NulProbe(string Route, string Input, string? Role, string Method, string Path,
    string? Body, string ContentType, IReadOnlyDictionary<string, string> Headers)
{
    public override string ToString() => $"{Route} with {Input} as {Role ?? "anonymous"}";
}

/// <summary>
/// Builds the probes of <see cref="NulInputTests"/>: for each route, a NUL in each query parameter and
/// header the API description names, in each route value, and (where a valid body is at hand) a NUL
/// and a lone surrogate in each string member of the body, everything else valid.
/// </summary>
public static partial class NulProbes
{
    /// <summary>Written into JSON as `\u0000`; in a URL as `%00`.</summary>
    public const string Nul = "a\0b";

    /// <summary>A lone high surrogate, which only JSON can carry (`\ud800`): UTF-8 has no encoding for it.</summary>
    private const string LoneSurrogateJson = "\"a\\ud800b\"";

    private const string Marker = "nul-probe-marker";

    /// <summary>The roles the probes of a route are sent as: auditor and regulator for reads they may make, else the first role allowed.</summary>
    public static IEnumerable<string?> CallersFor(RouteKey route, RouteRule rule)
    {
        if (rule.AllowedRoles is null)
        {
            return [null];
        }
        var readers = route.Method == "GET" ? new[] { Roles.Auditor, Roles.Regulator }.Where(rule.AllowedRoles.Contains).ToList() : [];
        return readers.Count > 0 ? readers : [Roles.All.First(rule.AllowedRoles.Contains)];
    }

    /// <summary>Valid bodies of the writes whose bodies are easy to build; other writes send their matrix body.</summary>
    public static Dictionary<string, JsonNode> Bodies(IReadOnlyDictionary<Resource, Guid> resources) => new(StringComparer.Ordinal)
    {
        ["POST /datasets"] = DatasetApi.Terms(title: "NUL sweep corpus"),
        ["POST /datasets/{id:guid}/versions"] = DatasetApi.Version(DatasetApi.Digest2),
        ["PATCH /datasets/{id:guid}/terms"] = new JsonObject { ["title"] = "Renamed", ["controller"] = "Kancelaria Sejmu" },
        ["POST /sites"] = DecisionWorld.Site("pl-nul-sweep", "PL"),
        ["POST /policies/bundles"] = DecisionWorld.Bundle("nul-sweep"),
        ["PATCH /sites/{id:guid}"] = new JsonObject { ["name"] = "Renamed", ["operator"] = "pl-cyfronet" },
        ["POST /training-jobs"] = DecisionWorld.Job(resources[Resource.Site], commercial: false, @operator: "pl-mc"),
        ["POST /training-jobs/{id:guid}/access-requests"] = DecisionWorld.Ask((resources[Resource.Dataset], 1)),
        ["POST /api/v1/lineage"] = ProvenanceWorld.RunEvent("START", Guid.NewGuid(), resources[Resource.TrainingJob], [ProvenanceWorld.Input(resources[Resource.Dataset])]),
    };

    public static IEnumerable<NulProbe> For(RouteKey route, RouteRule rule, Guid id, JsonObject? operation, JsonNode? body, string? ifMatch)
    {
        var name = route.Name;
        var isWrite = route.Method is not ("GET" or "HEAD" or "DELETE");
        var baseBody = isWrite ? body?.ToJsonString() ?? rule.Body ?? "{}" : null;
        var parameters = (operation?["parameters"]?.AsArray() ?? [])
            .Select(p => (Name: p!["name"]!.GetValue<string>(), In: p["in"]!.GetValue<string>()))
            .ToList();
        // Every write to a resource with an ETag reads If-Match, though not every one describes it (PATCH /sites does not).
        var headerNames = parameters.Where(p => p.In == "header").Select(p => p.Name)
            .Concat(isWrite && rule.Resource is Resource.Dataset or Resource.Site ? ["If-Match"] : [])
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var baseHeaders = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (headerNames.Contains("If-Match", StringComparer.OrdinalIgnoreCase))
        {
            baseHeaders["If-Match"] = ifMatch ?? AuthorizationMatrix.StaleIfMatch;
        }
        var path = AuthorizationMatrix.PathFor(route.Pattern, id);
        var queryNames = parameters.Where(p => p.In == "query").Select(p => p.Name).Distinct(StringComparer.Ordinal);

        foreach (var role in CallersFor(route, rule))
        {
            NulProbe Probe(string input, string probePath, string? probeBody = null, IReadOnlyDictionary<string, string>? headers = null) =>
                new(name, input, role, route.Method, probePath, probeBody ?? baseBody, rule.ContentType, headers ?? baseHeaders);

            // A write ignores a query it does not read and would then be carried out: only reads, whose query is recorded.
            if (!isWrite)
            {
                yield return Probe("query parameter name", $"{path}?a%00b=1");
            }
            foreach (var query in queryNames)
            {
                yield return Probe($"query {query}", $"{path}?{query}=a%00b");
                yield return Probe($"query {query} surrogate as UTF-8", $"{path}?{query}=a%ED%A0%80b");
            }
            foreach (var parameter in route.Pattern.Parameters)
            {
                yield return Probe($"route value {parameter.Name}", AuthorizationMatrix.PathFor(route.Pattern, id, new Dictionary<string, string> { [parameter.Name] = "a%00b" }));
            }
            foreach (var header in headerNames)
            {
                var value = header == "If-Match" ? "\"1\0\"" : Nul;
                yield return Probe($"header {header}", path, headers: new Dictionary<string, string>(baseHeaders, StringComparer.OrdinalIgnoreCase) { [header] = value });
            }
            if (isWrite && rule.ContentType == "text/plain")
            {
                yield return Probe("text body", path, Nul);
            }
            if (isWrite && rule.ContentType.EndsWith("json", StringComparison.Ordinal) && JsonNode.Parse(baseBody!) is JsonObject json)
            {
                foreach (var member in StringMembers(json))
                {
                    yield return Probe($"body {member} NUL", path, WithMember(json, member, "\"a\\u0000b\""));
                    yield return Probe($"body {member} lone surrogate", path, WithMember(json, member, LoneSurrogateJson));
                }
            }
        }
    }

    /// <summary>The API description's path of a route: constraints, optional marks and catch-all stars dropped.</summary>
    public static string OpenApiPath(RoutePattern pattern) => ParameterText().Replace(pattern.RawText ?? "", "{$1}");

    public static HttpRequestMessage Request(NulProbe probe)
    {
        var request = new HttpRequestMessage(new HttpMethod(probe.Method), probe.Path);
        if (probe.Body is not null)
        {
            request.Content = new StringContent(probe.Body, System.Text.Encoding.UTF8);
            request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(probe.ContentType);
        }
        foreach (var (header, value) in probe.Headers)
        {
            request.Headers.TryAddWithoutValidation(header, value);
        }
        return request;
    }

    /// <summary>JSONPath-like names of the string members of <paramref name="node"/>, array items included.</summary>
    private static IEnumerable<string> StringMembers(JsonNode? node, string at = "$") => node switch
    {
        JsonObject obj => obj.SelectMany(m => StringMembers(m.Value, $"{at}.{m.Key}")),
        JsonArray array => array.SelectMany((item, i) => StringMembers(item, $"{at}[{i}]")),
        JsonValue value when value.GetValueKind() == System.Text.Json.JsonValueKind.String => [at],
        _ => [],
    };

    /// <summary>The body with one member replaced by raw JSON text (a lone surrogate cannot pass through a JsonNode).</summary>
    private static string WithMember(JsonObject body, string member, string rawJson)
    {
        var copy = body.DeepClone();
        var node = copy;
        foreach (var step in member[2..].Split('.'))
        {
            var bracket = step.IndexOf('[', StringComparison.Ordinal);
            node = bracket < 0 ? node![step] : node![step[..bracket]]![int.Parse(step[(bracket + 1)..^1], System.Globalization.CultureInfo.InvariantCulture)];
        }
        node!.ReplaceWith(Marker);
        return copy.ToJsonString().Replace($"\"{Marker}\"", rawJson, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\{\**([^}:?=]+)[^}]*\}")]
    private static partial Regex ParameterText();
}
