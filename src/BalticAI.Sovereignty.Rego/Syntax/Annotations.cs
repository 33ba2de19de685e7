using System.Text.Json.Nodes;

namespace BalticAI.Sovereignty.Rego.Syntax;

/// <summary>What a METADATA block applies to, as OPA names it.</summary>
internal enum AnnotationScope { Rule, Document, Package, Subpackages }

/// <summary>
/// One entry of a block's `schemas`: the document it types (`input`, `input.x`, `data.a.b`), and either a schema of
/// the schema set (`schema.x`, its path after `schema`) or a schema written in the block. <see cref="Path"/> is empty
/// for a reference with a variable key, which OPA takes and the checker does not follow.
/// </summary>
internal sealed record SchemaAnnotation(string Key, string[] Path, string[]? Schema, JsonNode? Definition);

/// <summary>A METADATA block, read and attached as OPA attaches it; the keys no check needs stay unread.</summary>
internal sealed class Annotation
{
    public required Location Loc { get; init; }

    public required AnnotationScope Scope { get; init; }

    public bool Entrypoint { get; init; }

    public required IReadOnlyList<SchemaAnnotation> Schemas { get; init; }

    /// <summary>The rule the block stands above, for the rule and document scopes.</summary>
    public Rule? Rule { get; init; }

    /// <summary>The block as `rego.metadata.rule()` and `rego.metadata.chain()` give it.</summary>
    public required Values.Value Metadata { get; init; }
}
