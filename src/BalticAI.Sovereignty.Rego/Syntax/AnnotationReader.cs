using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Rego.Values;

namespace BalticAI.Sovereignty.Rego.Syntax;

/// <summary>
/// Reads a module's METADATA blocks as OPA's parser does (ast/parser.go, annotations.go): a comment starting with
/// `METADATA` opens a block, and the comments on the lines right below it, at column 1, are its YAML. The block
/// annotates the first package, import or rule below it. OPA refuses a bundle whose blocks are not YAML, name a scope
/// that does not fit what they stand above, or declare a schema or an author it cannot read (`opa check`, `opa test`,
/// and any policy calling `rego.metadata`); so does this reader, so that a bundle activation takes also passes them.
/// Only a compile that checks, or a rule calling `rego.metadata`, reads them (<see cref="RegoCompiler"/>): a bundle
/// recorded before still compiles to decide.
/// </summary>
internal static partial class AnnotationReader
{
    private const string Hint = "METADATA";

    public static (IReadOnlyList<Annotation> Annotations, IReadOnlyList<RegoError> Errors) Read(Module module)
    {
        var blocks = Blocks(module.Comments);
        if (blocks.Count == 0)
        {
            return ([], []);
        }

        var statements = new List<(int Line, object Node)> { (module.PackageLoc.Line, module) };
        statements.AddRange(module.Imports.Select(i => (i.Loc.Line, (object)i)));
        statements.AddRange(module.Rules.Select(r => (r.Loc.Line, (object)r)));
        statements.Sort((a, b) => a.Line.CompareTo(b.Line));

        var annotations = new List<Annotation>();
        var errors = new List<RegoError>();
        foreach (var (opening, lines) in blocks)
        {
            var loc = new Location(module.File, opening.Line, opening.Column);
            var node = statements.FirstOrDefault(s => s.Line > opening.Line).Node;
            try
            {
                annotations.Add(Annotation(Yaml(lines, loc), loc, node));
            }
            catch (AnnotationException e)
            {
                errors.Add(new RegoError(RegoErrorKind.ParseError, e.Message, module.File, e.Line ?? loc.Line, e.Line is null ? loc.Column : 1));
            }
        }

        return (annotations, errors);
    }

    private static List<(Comment Opening, List<Comment> Lines)> Blocks(IReadOnlyList<Comment> comments)
    {
        var blocks = new List<(Comment, List<Comment>)>();
        List<Comment>? current = null;
        for (var i = 0; i < comments.Count; i++)
        {
            if (current != null && comments[i].Line == comments[i - 1].Line + 1 && comments[i].Column == 1)
            {
                current.Add(comments[i]);
                continue;
            }

            current = null;
            if (comments[i].Text.Trim().StartsWith(Hint, StringComparison.Ordinal))
            {
                current = [];
                blocks.Add((comments[i], current));
            }
        }

        return blocks;
    }

    private static JsonObject Yaml(List<Comment> lines, Location loc)
    {
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            text.Append(line.Text.StartsWith(' ') ? line.Text[1..] : line.Text).Append('\n');
        }

        if (string.IsNullOrWhiteSpace(text.ToString()))
        {
            throw new AnnotationException("expected METADATA block, found whitespace");
        }

        JsonNode? parsed;
        try
        {
            parsed = YamlToJson.Convert(text.ToString());
        }
        catch (FormatException e)
        {
            var message = e.Message.Replace("error converting YAML to JSON: ", string.Empty, StringComparison.Ordinal);
            var at = System.Text.RegularExpressions.Regex.Match(message, @"^yaml: line (\d+):");
            int? line = at.Success && int.TryParse(at.Groups[1].Value, out var n) ? lines[Math.Clamp(n - 1, 0, lines.Count - 1)].Line : null;
            throw new AnnotationException(message, line);
        }

        if (Depth(parsed) > MaxDepth)
        {
            throw new AnnotationException($"a METADATA block nests deeper than {MaxDepth} levels");
        }

        return parsed as JsonObject
            ?? throw new AnnotationException($"yaml: unmarshal errors: a METADATA block at {loc.File}:{loc.Line} must be a mapping of annotation names to values");
    }

    /// <summary>
    /// Deeper than any block a person writes. OPA takes any depth YAML allows; the engine's values, and the JSON it
    /// answers with, are built recursively, so a block of thousands of nested lists is refused here instead.
    /// </summary>
    private const int MaxDepth = 100;

    /// <summary>How deeply the value nests, counted without recursion: the value may be as deep as YAML allows.</summary>
    private static int Depth(JsonNode? root)
    {
        var deepest = 0;
        var pending = new Stack<(JsonNode? Node, int Depth)>([(root, 1)]);
        while (pending.TryPop(out var next))
        {
            deepest = Math.Max(deepest, next.Depth);
            var children = next.Node switch
            {
                JsonObject o => o.Select(p => p.Value),
                JsonArray a => a,
                _ => [],
            };
            foreach (var child in children)
            {
                pending.Push((child, next.Depth + 1));
            }
        }

        return deepest;
    }

    private static Annotation Annotation(JsonObject yaml, Location loc, object? node)
    {
        var scopeName = Text(yaml, "scope");
        var entrypoint = yaml["entrypoint"] switch
        {
            null => false,
            JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
            var other => throw Unmarshal("entrypoint", other, "bool"),
        };
        var title = Text(yaml, "title");
        var description = Text(yaml, "description");
        var organizations = Strings(yaml, "organizations");
        if (yaml["custom"] is { } custom and not JsonObject)
        {
            throw Unmarshal("custom", custom, "map");
        }

        var authors = List(yaml, "authors").Select(Author).ToList();
        var resources = List(yaml, "related_resources").Select(RelatedResource).ToList();
        var schemas = List(yaml, "schemas").Select(Schema).ToList();
        var scope = scopeName switch
        {
            null or "" => node switch
            {
                Rule => entrypoint ? AnnotationScope.Document : AnnotationScope.Rule,
                Module => AnnotationScope.Package,
                Import => throw InvalidScope("import"),
                _ => throw InvalidScope(string.Empty),
            },
            "rule" => AnnotationScope.Rule,
            "document" => AnnotationScope.Document,
            "package" => AnnotationScope.Package,
            "subpackages" => AnnotationScope.Subpackages,
            _ => throw InvalidScope(scopeName),
        };

        var name = scopeName is null or "" ? null : scopeName;
        if (scope is AnnotationScope.Rule or AnnotationScope.Document && node is not Rule)
        {
            throw new AnnotationException($"annotation scope '{name}' must be applied to rule{Have(node)}");
        }

        if (scope is AnnotationScope.Package or AnnotationScope.Subpackages && node is not Module)
        {
            throw new AnnotationException($"annotation scope '{name}' must be applied to package{Have(node)}");
        }

        if (entrypoint && scope is not (AnnotationScope.Document or AnnotationScope.Package))
        {
            throw new AnnotationException($"annotation entrypoint applied to non-document or package scope '{ScopeName(scope)}'");
        }

        var metadata = new AnnotationTerm(ScopeName(scope))
        {
            Title = title,
            Description = description,
            Entrypoint = entrypoint,
            Organizations = organizations,
            RelatedResources = resources,
            Authors = authors,
            Schemas = schemas,
            Custom = yaml["custom"] as JsonObject,
        };
        return new Annotation { Loc = loc, Scope = scope, Entrypoint = entrypoint, Schemas = schemas, Rule = node as Rule, Metadata = metadata.ToValue() };
    }

    private static SchemaAnnotation Schema(JsonNode? entry)
    {
        if (entry is not JsonObject { Count: > 0 } pair)
        {
            throw Unmarshal("schemas", entry, "map[string]interface {}");
        }

        var (key, value) = pair.First();
        if (Ref(key) is not { } path)
        {
            throw new AnnotationException("invalid document reference");
        }

        return value switch
        {
            JsonValue v when v.GetValueKind() == JsonValueKind.String =>
                Ref(v.GetValue<string>()) is [SchemaRoot, .. var rest] ? new SchemaAnnotation(key, path, rest, null) : throw new AnnotationException("invalid schema reference"),
            JsonObject definition => new SchemaAnnotation(key, path, null, definition),
            _ => throw new AnnotationException($"invalid schema declaration for path {JsonSerializer.Serialize(key)}"),
        };
    }

    private const string SchemaRoot = "schema";

    /// <summary>
    /// A reference such as `input.x`, `data["a"].b` or `schema.x` as its head and constant keys; empty when a key is not
    /// constant; null when it is no reference.
    /// </summary>
    private static string[]? Ref(string text)
    {
        Term term;
        try
        {
            term = Parser.ParseTerm(text, "annotation");
        }
        catch (RegoException)
        {
            return null;
        }

        return term switch
        {
            VarTerm v => [v.Name],
            RefTerm { Head: VarTerm head } r when r.Path.All(p => p is ScalarTerm { Value: StringValue }) =>
                [head.Name, .. r.Path.Select(p => ((StringValue)((ScalarTerm)p).Value).Value)],
            // A reference with a variable key is valid, but types nothing the checker follows.
            RefTerm { Head: VarTerm } => [],
            _ => null,
        };
    }

    private static AnnotationException InvalidScope(string scope) =>
        new($"invalid annotation scope '{scope}'. Use one of 'rule', 'document', 'package', or 'subpackages'");

    private static string Have(object? node) => node switch
    {
        Rule => " (have rule)",
        Module => " (have package)",
        Import => " (have import)",
        _ => string.Empty,
    };

    private static string ScopeName(AnnotationScope scope) => scope.ToString().ToLowerInvariant();

    private sealed class AnnotationException(string message, int? line = null) : Exception(message)
    {
        public int? Line { get; } = line;
    }
}
