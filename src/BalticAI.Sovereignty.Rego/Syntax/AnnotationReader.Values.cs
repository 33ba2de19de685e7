using System.Text.Json;
using System.Text.Json.Nodes;

namespace BalticAI.Sovereignty.Rego.Syntax;

/// <summary>The values of a block's keys, read into what OPA's rawAnnotation holds, refused where OPA cannot read them.</summary>
internal static partial class AnnotationReader
{
    /// <summary>An author as OPA reads one: "Name &lt;email&gt;", or a map with a name, an email or both.</summary>
    private static JsonObject Author(JsonNode? author)
    {
        switch (author)
        {
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                var words = v.GetValue<string>().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                if (words.Length == 0)
                {
                    throw new AnnotationException("invalid author definition : author is an empty string");
                }

                var last = words[^1];
                var email = last.Length > 2 && last.StartsWith('<') && last.EndsWith('>') ? last[1..^1] : null;
                return Person(string.Join(' ', email is null ? words : words[..^1]), email);
            case JsonObject o when !string.IsNullOrWhiteSpace(StringOf(o["name"])) || !string.IsNullOrWhiteSpace(StringOf(o["email"])):
                return Person(StringOf(o["name"])?.Trim(), StringOf(o["email"])?.Trim());
            case JsonObject o:
                throw new AnnotationException($"invalid author definition {o.ToJsonString()}: 'name' and/or 'email' values required in object");
            default:
                throw new AnnotationException($"invalid author definition {author?.ToJsonString()}: invalid value type, must be string or map");
        }
    }

    private static JsonObject Person(string? name, string? email)
    {
        var person = new JsonObject();
        if (!string.IsNullOrEmpty(name))
        {
            person["name"] = name;
        }

        if (!string.IsNullOrEmpty(email))
        {
            person["email"] = email;
        }

        return person;
    }

    private static JsonObject RelatedResource(JsonNode? resource)
    {
        switch (resource)
        {
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                return v.GetValue<string>().Length == 0
                    ? throw new AnnotationException("invalid related-resource definition : ref URL may not be empty string")
                    : new JsonObject { ["ref"] = v.GetValue<string>() };
            case JsonObject o when !string.IsNullOrWhiteSpace(StringOf(o["ref"])):
                var related = new JsonObject { ["ref"] = StringOf(o["ref"])!.Trim() };
                if (StringOf(o["description"])?.Trim() is { Length: > 0 } description)
                {
                    related["description"] = description;
                }

                return related;
            case JsonObject o:
                throw new AnnotationException($"invalid related-resource definition {o.ToJsonString()}: 'ref' value required in object");
            default:
                throw new AnnotationException($"invalid related-resource definition {resource?.ToJsonString()}: invalid value type, must be string or map");
        }
    }

    private static string? StringOf(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    /// <summary>A scalar read into a string field, as go-yaml v3 reads any scalar there; a collection cannot be.</summary>
    private static string? Text(JsonObject yaml, string key) => yaml[key] switch
    {
        null => null,
        JsonValue v => v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString(),
        var other => throw Unmarshal(key, other, "string"),
    };

    private static List<string> Strings(JsonObject yaml, string key) => [.. List(yaml, key).Select(item => item switch
    {
        null => string.Empty,
        JsonValue v => v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString(),
        _ => throw Unmarshal(key, item, "string"),
    })];

    private static JsonArray List(JsonObject yaml, string key) => yaml[key] switch
    {
        null => [],
        JsonArray a => a,
        var other => throw Unmarshal(key, other, "[]"),
    };

    private static AnnotationException Unmarshal(string key, JsonNode? value, string into) =>
        new($"yaml: unmarshal errors: {key}: cannot unmarshal {Kind(value)} into {into}");

    private static string Kind(JsonNode? value) => value switch
    {
        JsonObject => "!!map",
        JsonArray => "!!seq",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => "!!str",
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => "!!int",
        JsonValue => "!!bool",
        _ => "!!null",
    };
}
