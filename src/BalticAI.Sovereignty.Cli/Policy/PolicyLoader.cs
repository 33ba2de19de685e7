using System.Text.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Policies.Bundles;
using BalticAI.Sovereignty.Rego;

namespace BalticAI.Sovereignty.Cli.Policy;

/// <summary>
/// Loads .rego modules and .json, .yaml and .yml data documents from files or directories, as `opa` does with -d and
/// `opa test` with its paths.
/// </summary>
internal static class PolicyLoader
{
    /// <exception cref="DataLoadException">
    /// A data file is no JSON (or no YAML), holds no object at the top of a directory, or sets what another one sets;
    /// every such file is listed, as OPA's loader lists each before it gives up.
    /// </exception>
    /// <exception cref="RegoException">The modules do not compile.</exception>
    public static RegoPolicy Load(IEnumerable<string> paths, RegoOptions? options = null, RegoInputSchema? inputSchema = null, RegoSchemaSet? schemas = null)
    {
        var modules = new List<RegoModule>();
        var data = new JsonObject();
        var errors = new List<string>();
        foreach (var path in paths)
        {
            var root = Directory.Exists(path) ? path : Path.GetDirectoryName(Path.GetFullPath(path))!;
            IEnumerable<string> files = Directory.Exists(path)
                ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
                : [Path.GetFullPath(path)];
            foreach (var file in files)
            {
                var name = Path.GetRelativePath(Environment.CurrentDirectory, file);
                if (file.EndsWith(".rego", StringComparison.Ordinal))
                {
                    modules.Add(new RegoModule(name, File.ReadAllText(file)));
                }
                else if (IsData(file) && Mount(data, root, file) is { } why)
                {
                    errors.Add($"{name}: {why}");
                }
            }
        }

        if (errors.Count > 0)
        {
            throw new DataLoadException(errors);
        }

        return RegoCompiler.Compile(modules, data, options, inputSchema, schemas);
    }

    /// <summary>The files OPA's loader reads as data (loader.loadKnownTypes): .json, and .yaml or .yml through YAML-to-JSON.</summary>
    private static bool IsData(string file) =>
        file.EndsWith(".json", StringComparison.Ordinal) || file.EndsWith(".yaml", StringComparison.Ordinal) || file.EndsWith(".yml", StringComparison.Ordinal);

    /// <summary>Null when the file's document is mounted at the path of its folder below <paramref name="root"/>, else why not.</summary>
    private static string? Mount(JsonObject data, string root, string file)
    {
        JsonNode? doc;
        try
        {
            var text = File.ReadAllText(file);
            doc = file.EndsWith(".json", StringComparison.Ordinal) ? JsonNode.Parse(text) : YamlToJson.Convert(text);
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            return e.Message;
        }

        var folder = Path.GetRelativePath(root, Path.GetDirectoryName(file)!);
        return DataMount.TryMount(data, folder == "." ? [] : folder.Split(Path.DirectorySeparatorChar), doc) switch
        {
            null => null,
            { ConflictPath: { } path } => $"merge error, as opa test reports it: {path} is set by another data file too",
            _ => $"document must be of type object, as opa test demands: a data file at the top of the directory is data itself, not data.<key> (found {Kind(doc)})",
        };
    }

    private static string Kind(JsonNode? doc) => doc switch
    {
        null => "null",
        JsonArray => "an array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            _ => "a boolean",
        },
        _ => "an object",
    };
}
