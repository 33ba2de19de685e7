using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Rego;

namespace BalticAI.Sovereignty.Cli.Policy;

/// <summary>Loads .rego modules and .json data documents from files or directories, as `opa` does with -d.</summary>
internal static class PolicyLoader
{
    public static RegoPolicy Load(IEnumerable<string> paths, RegoOptions? options = null)
    {
        var modules = new List<RegoModule>();
        var data = new JsonObject();
        foreach (var path in paths)
        {
            var root = Directory.Exists(path) ? path : Path.GetDirectoryName(Path.GetFullPath(path))!;
            IEnumerable<string> files = Directory.Exists(path)
                ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
                : [Path.GetFullPath(path)];
            foreach (var file in files)
            {
                if (file.EndsWith(".rego", StringComparison.Ordinal))
                {
                    modules.Add(new RegoModule(Path.GetRelativePath(Environment.CurrentDirectory, file), File.ReadAllText(file)));
                }
                else if (Path.GetFileName(file) is "data.json" || file.EndsWith(".json", StringComparison.Ordinal))
                {
                    var doc = JsonNode.Parse(File.ReadAllText(file));
                    var rel = Path.GetRelativePath(root, Path.GetDirectoryName(file)!);
                    Merge(data, rel == "." ? [] : rel.Split(Path.DirectorySeparatorChar), doc);
                }
            }
        }

        return RegoCompiler.Compile(modules, data, options);
    }

    /// <summary>A data file is placed at the path of its directory relative to the loaded root (OPA's convention).</summary>
    private static void Merge(JsonObject target, string[] path, JsonNode? doc)
    {
        foreach (var seg in path)
        {
            if (target[seg] is not JsonObject next)
            {
                next = new JsonObject();
                target[seg] = next;
            }

            target = next;
        }

        if (doc is JsonObject obj)
        {
            foreach (var (k, v) in obj.ToList())
            {
                obj.Remove(k);
                if (target[k] is JsonObject existing && v is JsonObject vo)
                {
                    Merge(existing, [], vo);
                }
                else
                {
                    target[k] = v;
                }
            }
        }
    }
}
