using System.Text.Json;
using BalticAI.Sovereignty.Rego.Compilation.Typing;

namespace BalticAI.Sovereignty.Rego;

/// <summary>
/// The schemas a METADATA block can name as `schema.x` (`schemas: [{input: schema.input}]`), as `opa check --schema DIR`
/// loads them: each `.json` file under the directory by its path there without the extension, so `input.json` is
/// `schema.input` and `k8s/pod.json` is `schema.k8s.pod`. Immutable.
/// </summary>
public sealed class RegoSchemaSet
{
    private readonly Dictionary<string, RegoInputSchema> schemas;

    private RegoSchemaSet(Dictionary<string, RegoInputSchema> schemas) => this.schemas = schemas;

    public static RegoSchemaSet Empty { get; } = new(new Dictionary<string, RegoInputSchema>(StringComparer.Ordinal));

    /// <summary>This set with <paramref name="schema"/> named `schema.` and the path (`schema` itself for an empty one).</summary>
    public RegoSchemaSet With(IEnumerable<string> path, RegoInputSchema schema) =>
        new(new Dictionary<string, RegoInputSchema>(schemas, StringComparer.Ordinal) { [Key(path)] = schema });

    /// <summary>The schema named `schema.` and the path, if the set has one: `Find(["input"])` is the input's, by OPA's convention.</summary>
    public RegoInputSchema? Find(IEnumerable<string> path) => schemas.GetValueOrDefault(Key(path));

    /// <summary>Every `.json` file under a directory, named by its path there.</summary>
    /// <exception cref="JsonException">A file is not a JSON Schema object; the message names it.</exception>
    /// <exception cref="IOException">The directory or a file cannot be read.</exception>
    public static RegoSchemaSet FromDirectory(string directory)
    {
        var set = Empty;
        foreach (var file in Directory.EnumerateFiles(directory, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(directory, file);
            RegoInputSchema schema;
            try
            {
                schema = RegoInputSchema.Parse(File.ReadAllText(file));
            }
            catch (JsonException e)
            {
                throw new JsonException($"{relative}: {e.Message}", e);
            }

            set = set.With(relative[..^".json".Length].Split(Path.DirectorySeparatorChar), schema);
        }

        return set;
    }

    internal RegoType? Get(IEnumerable<string> path) => Find(path)?.Type;

    private static string Key(IEnumerable<string> path) => string.Join('\u001f', path);
}
