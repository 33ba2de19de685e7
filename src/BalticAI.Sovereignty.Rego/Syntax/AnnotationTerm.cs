using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Rego.Values;

namespace BalticAI.Sovereignty.Rego.Syntax;

/// <summary>
/// A METADATA block as OPA's `rego.metadata` builtins give it (ast.Annotations.toObject): its scope, and each key the
/// block sets, authors as {name, email}, related resources as {ref, description}, schemas as {path, schema} or
/// {path, definition}.
/// </summary>
internal sealed record AnnotationTerm(string Scope)
{
    public string? Title { get; init; }

    public string? Description { get; init; }

    public bool Entrypoint { get; init; }

    public IReadOnlyList<string> Organizations { get; init; } = [];

    public IReadOnlyList<JsonObject> RelatedResources { get; init; } = [];

    public IReadOnlyList<JsonObject> Authors { get; init; } = [];

    public IReadOnlyList<SchemaAnnotation> Schemas { get; init; } = [];

    public JsonObject? Custom { get; init; }

    public Value ToValue()
    {
        var o = new JsonObject { ["scope"] = Scope };
        if (!string.IsNullOrEmpty(Title))
        {
            o["title"] = Title;
        }

        if (Entrypoint)
        {
            o["entrypoint"] = true;
        }

        if (!string.IsNullOrEmpty(Description))
        {
            o["description"] = Description;
        }

        if (Organizations.Count > 0)
        {
            o["organizations"] = new JsonArray([.. Organizations.Select(x => (JsonNode)x)]);
        }

        if (RelatedResources.Count > 0)
        {
            o["related_resources"] = new JsonArray([.. RelatedResources.Select(r => r.DeepClone())]);
        }

        if (Authors.Count > 0)
        {
            o["authors"] = new JsonArray([.. Authors.Select(a => a.DeepClone())]);
        }

        if (Schemas.Count > 0)
        {
            o["schemas"] = new JsonArray([.. Schemas.Select(Schema)]);
        }

        if (Custom is { Count: > 0 })
        {
            o["custom"] = Custom.DeepClone();
        }

        return JsonInterop.FromNode(o);
    }

    private static JsonNode Schema(SchemaAnnotation s)
    {
        var path = s.Path.Length > 0 ? s.Path : [s.Key];
        var entry = new JsonObject { ["path"] = new JsonArray([.. path.Select(p => (JsonNode)p)]) };
        if (s.Schema is { } schema)
        {
            entry["schema"] = new JsonArray(["schema", .. schema.Select(p => (JsonNode)p)]);
        }
        else
        {
            entry["definition"] = s.Definition!.DeepClone();
        }

        return entry;
    }
}
