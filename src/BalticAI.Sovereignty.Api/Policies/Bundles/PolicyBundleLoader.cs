using System.Text.Json.Nodes;

namespace BalticAI.Sovereignty.Api.Policies.Bundles;

/// <summary>
/// Reads a bundle directory: every `*.rego` file is a module (tests included, so activation can run
/// them); the top-level keys of every JSON file directly in `data/` are merged into `data.balticai`
/// (a `description` key documents its file and is not mounted), so that a country changes a list by
/// editing data, never a rule. Two files may not define the same key. `.manifest` gives the revision.
/// </summary>
public static class PolicyBundleLoader
{
    public const string DataRoot = "balticai";
    private const string DescriptionKey = "description";

    public static PolicyBundle Load(string directory)
    {
        var root = Path.GetFullPath(directory);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"policy bundle directory {root} does not exist");
        }
        var modules = Directory.EnumerateFiles(root, "*.rego", SearchOption.AllDirectories)
            .Select(path => new BundleModule(Relative(root, path), File.ReadAllText(path)))
            .OrderBy(m => m.Path, StringComparer.Ordinal)
            .ToList();
        var mounted = new JsonObject();
        var dataDirectory = Path.Combine(root, "data");
        if (Directory.Exists(dataDirectory))
        {
            foreach (var path in Directory.EnumerateFiles(dataDirectory, "*.json").Order(StringComparer.Ordinal))
            {
                if (ParseFile(path) is not JsonObject document)
                {
                    throw new InvalidDataException($"{path}: a data document must be a JSON object");
                }
                foreach (var (key, value) in document.Where(p => p.Key != DescriptionKey).ToList())
                {
                    if (mounted.ContainsKey(key))
                    {
                        throw new InvalidDataException($"{path}: data.{DataRoot}.{key} is already defined by another data document");
                    }
                    mounted[key] = value?.DeepClone();
                }
            }
        }
        return new PolicyBundle(ReadRevision(root, modules, mounted), modules, new JsonObject { [DataRoot] = mounted });
    }

    private static string ReadRevision(string root, IReadOnlyList<BundleModule> modules, JsonObject data)
    {
        var manifest = Path.Combine(root, ".manifest");
        if (File.Exists(manifest) && ParseFile(manifest)?["revision"] is JsonValue revision)
        {
            return revision.GetValue<string>();
        }
        // Without a manifest the content digest itself names the revision.
        return PolicyBundle.ComputeDigest(modules, new JsonObject { [DataRoot] = data.DeepClone() })[7..19];
    }

    /// <summary>A JSON file, or the parser's complaint under the file's name: the bare message does not say which file of the bundle it is.</summary>
    private static JsonNode? ParseFile(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path));
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');
}
