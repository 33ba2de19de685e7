using System.Text.Json;
using System.Text.Json.Nodes;

namespace BalticAI.Sovereignty.Api.Policies.Bundles;

/// <summary>
/// Reads a bundle directory: every `*.rego` file is a module (tests included, so activation can run
/// them); every JSON file under `data/` is mounted at `data.balticai.&lt;file name&gt;`, so that a country
/// changes a list by editing data, never a rule. `.manifest` gives the revision.
/// </summary>
public static class PolicyBundleLoader
{
    public const string DataRoot = "balticai";

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
                mounted[Path.GetFileNameWithoutExtension(path)] = JsonNode.Parse(File.ReadAllText(path));
            }
        }
        return new PolicyBundle(ReadRevision(root, modules, mounted), modules, new JsonObject { [DataRoot] = mounted });
    }

    private static string ReadRevision(string root, IReadOnlyList<BundleModule> modules, JsonObject data)
    {
        var manifest = Path.Combine(root, ".manifest");
        if (File.Exists(manifest) && JsonNode.Parse(File.ReadAllText(manifest))?["revision"] is JsonValue revision)
        {
            return revision.GetValue<string>();
        }
        // Without a manifest the content digest itself names the revision.
        return PolicyBundle.ComputeDigest(modules, new JsonObject { [DataRoot] = data.DeepClone() })[7..19];
    }

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');

    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web);
}
