using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Rego.Values;

namespace BalticAI.Sovereignty.Rego.Compilation.Typing;

/// <summary>
/// Reads a JSON Schema as the type of the document it describes. Keys outside `properties` count as missing only
/// where the schema says `additionalProperties: false`, as JSON Schema means it; whatever the reader does not follow
/// (a remote `$ref`, `allOf` of several, `not`, `if`) reads as any value, so it widens and never refuses.
/// </summary>
internal static class SchemaTypes
{
    /// <summary>Deeper than any schema a person writes; a `$ref` cycle ends there as any value.</summary>
    private const int MaxDepth = 64;

    public static RegoType FromSchema(JsonNode? root) => Read(root, root, 0);

    private static RegoType Read(JsonNode? schema, JsonNode? root, int depth)
    {
        if (depth > MaxDepth || schema is not JsonObject s)
        {
            return RegoType.Any;
        }

        if (s["$ref"] is JsonValue r && r.TryGetValue<string>(out var reference))
        {
            return Read(Pointer(root, reference), root, depth + 1);
        }

        if (s.ContainsKey("const"))
        {
            return Listed([JsonInterop.FromNode(s["const"])]);
        }

        if (s["enum"] is JsonArray values && values.Count > 0)
        {
            return Listed([.. values.Select(JsonInterop.FromNode)]);
        }

        var alternatives = new List<RegoType>();
        foreach (var keyword in (string[])["anyOf", "oneOf"])
        {
            if (s[keyword] is JsonArray options)
            {
                alternatives.AddRange(options.Select(o => Read(o, root, depth + 1)));
            }
        }

        if (s["allOf"] is JsonArray all)
        {
            alternatives.Add(all.Count == 1 ? Read(all[0], root, depth + 1) : RegoType.Any);
        }

        var typed = s["type"] switch
        {
            JsonValue one when one.TryGetValue<string>(out var name) => OfType(name, s, root, depth),
            JsonArray many => RegoType.Union(many.Select(n => n is JsonValue v && v.TryGetValue<string>(out var name) ? OfType(name, s, root, depth) : RegoType.Any)),
            _ when s.ContainsKey("properties") || s.ContainsKey("additionalProperties") => OfType("object", s, root, depth),
            _ when alternatives.Count > 0 => null,
            _ => RegoType.Any,
        };

        return RegoType.Union(typed is null ? alternatives : [typed, .. alternatives]);
    }

    /// <summary>Scalars keep their values, so a comparison with a value the schema does not list can be found.</summary>
    private static RegoType Listed(List<Value> values) =>
        values.All(v => v is StringValue or NumberValue or BoolValue or NullValue) ? new EnumType(values) : RegoType.Union(values.Select(RegoType.Of));

    private static RegoType OfType(string name, JsonObject s, JsonNode? root, int depth) => name switch
    {
        "object" => new ObjectType(
            (s["properties"] as JsonObject ?? []).ToDictionary(p => p.Key, p => Read(p.Value, root, depth + 1), StringComparer.Ordinal),
            s["additionalProperties"] switch
            {
                JsonValue b when b.TryGetValue<bool>(out var allowed) => allowed ? RegoType.Any : s.ContainsKey("patternProperties") ? RegoType.Any : null,
                JsonObject extra => s.ContainsKey("patternProperties") ? RegoType.Any : Read(extra, root, depth + 1),
                _ => RegoType.Any,
            }) { FromSchema = true },
        "array" => new ArrayType(RegoType.Union(ArrayItems(s, root, depth))),
        "integer" => new ScalarType("number"),
        "number" or "string" or "boolean" or "null" => new ScalarType(name),
        _ => RegoType.Any,
    };

    private static IEnumerable<RegoType> ArrayItems(JsonObject s, JsonNode? root, int depth)
    {
        if (s["prefixItems"] is JsonArray prefix)
        {
            foreach (var item in prefix)
            {
                yield return Read(item, root, depth + 1);
            }

            if (s["items"] is JsonValue closed && closed.TryGetValue<bool>(out var more) && !more)
            {
                yield break;
            }
        }

        yield return s["items"] switch
        {
            JsonObject items => Read(items, root, depth + 1),
            JsonArray tuple => RegoType.Union(tuple.Select(t => Read(t, root, depth + 1))),
            _ => RegoType.Any,
        };
    }

    /// <summary>A reference within the same schema ("#/$defs/party"); any other names nothing the reader can follow.</summary>
    private static JsonNode? Pointer(JsonNode? root, string reference)
    {
        if (!reference.StartsWith('#'))
        {
            return null;
        }

        var node = root;
        foreach (var token in reference[1..].Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var key = Uri.UnescapeDataString(token).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            node = node switch
            {
                JsonObject o => o[key],
                JsonArray a when int.TryParse(key, out var i) && i >= 0 && i < a.Count => a[i],
                _ => null,
            };
        }

        return node;
    }
}
