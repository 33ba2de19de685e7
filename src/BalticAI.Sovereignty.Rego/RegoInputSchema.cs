using System.Text.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Rego.Compilation.Typing;

namespace BalticAI.Sovereignty.Rego;

/// <summary>
/// The JSON Schema of every input a policy will be given. Compiling with it refuses references no such input can have
/// (rego_type_error: undefined ref), as `opa check --schema` does with a schema for the input document.
/// </summary>
public sealed class RegoInputSchema
{
    private RegoInputSchema(RegoType type) => Type = type;

    internal RegoType Type { get; }

    /// <exception cref="JsonException">The text is not JSON, or not a JSON Schema object.</exception>
    public static RegoInputSchema Parse(string json) =>
        JsonNode.Parse(json) is JsonObject schema ? new(SchemaTypes.FromSchema(schema)) : throw new JsonException("an input schema is a JSON object");
}
