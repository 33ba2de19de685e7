using BalticAI.Sovereignty.Rego.Syntax;
using BalticAI.Sovereignty.Rego.Values;

namespace BalticAI.Sovereignty.Rego.Compilation.Typing;

internal sealed partial class InputChecker
{
    /// <summary>A schema written in a block, read once: a `subpackages` block holds for every rule below it.</summary>
    private readonly Dictionary<SchemaAnnotation, RegoType> written = new(ReferenceEqualityComparer.Instance);

    /// <summary>
    /// The input and data types a rule's METADATA `schemas` declare, applied in OPA's order: `input: schema.input`
    /// replaces the input's type, `input.x: {...}` the type at x within it, `data.a.b: {...}` the type of that document.
    /// A `schema.x` the schema set lacks is a type error at its block, reported once.
    /// </summary>
    private Declared Declare(Rule rule)
    {
        if (declared.TryGetValue(rule, out var known))
        {
            return known;
        }

        var inputType = input;
        var data = new List<(string[] Path, RegoType Type)>();
        foreach (var (block, schema) in annotations.Schemas(rule))
        {
            if (schema.Path is not ["input" or "data", ..])
            {
                continue;
            }

            var type = schema.Definition is { } definition
                ? written.TryGetValue(schema, out var read) ? read : written[schema] = SchemaTypes.FromSchema(definition)
                : schemas.Get(schema.Schema!);
            if (type is null)
            {
                var name = "schema" + string.Concat(schema.Schema!.Select(k => PathText(new StringValue(k))));
                if (reported.Add($"{block.Loc}:{name}"))
                {
                    errors.Add(new RegoError(RegoErrorKind.TypeError, $"undefined schema: {name}", block.Loc.File, block.Loc.Line, block.Loc.Column));
                }

                continue;
            }

            if (schema.Path[0] == "input")
            {
                inputType = At(inputType, schema.Path.AsSpan(1), type);
            }
            else
            {
                data.Add((schema.Path[1..], type));
            }
        }

        return declared[rule] = new Declared(inputType, data);
    }

    /// <summary>
    /// A data reference that enters a document a schema declares: its type and the index of the path element after the
    /// document. The longest declared prefix of the reference's constant keys wins, and of equal ones the later.
    /// </summary>
    private (RegoType Type, int Start)? DeclaredData(RefTerm r, Scope scope)
    {
        (RegoType Type, int Start)? found = null;
        foreach (var (path, type) in scope.Declared.Data)
        {
            if (path.Length <= r.Path.Length && (found is null || path.Length >= found.Value.Start) &&
                path.Select((key, i) => r.Path[i] is ScalarTerm { Value: StringValue s } && s.Value == key).All(x => x))
            {
                found = (type, path.Length);
            }
        }

        return found;
    }

    /// <summary>The type <paramref name="root"/> has with <paramref name="type"/> at the path in it; other keys stay as they were.</summary>
    private static RegoType At(RegoType root, ReadOnlySpan<string> path, RegoType type)
    {
        if (path.IsEmpty)
        {
            return type;
        }

        var key = new StringValue(path[0]);
        if (root is ObjectType o)
        {
            var properties = new Dictionary<string, RegoType>(o.Properties, StringComparer.Ordinal) { [path[0]] = At(o.Lookup(key) ?? RegoType.Any, path[1..], type) };
            return new ObjectType(properties, o.Dynamic) { FromSchema = o.FromSchema };
        }

        return new ObjectType(new Dictionary<string, RegoType>(StringComparer.Ordinal) { [path[0]] = At(RegoType.Any, path[1..], type) }, RegoType.Any);
    }
}
