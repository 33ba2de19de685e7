using System.Text.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Rego;

namespace BalticAI.Sovereignty.Cli.Policy;

/// <summary>Loads .rego modules and .json data documents from files or directories, as `opa` does with -d and `opa test` with its paths.</summary>
internal static class PolicyLoader
{
    /// <exception cref="DataLoadException">
    /// A .json file is no JSON, holds no object at the top of a directory, or sets what another one sets; every such
    /// file is listed, as OPA's loader lists each before it gives up.
    /// </exception>
    /// <exception cref="RegoException">The modules do not compile.</exception>
    public static RegoPolicy Load(IEnumerable<string> paths, RegoOptions? options = null)
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
                else if (file.EndsWith(".json", StringComparison.Ordinal) && Mount(data, root, file) is { } why)
                {
                    errors.Add($"{name}: {why}");
                }
            }
        }

        if (errors.Count > 0)
        {
            throw new DataLoadException(errors);
        }

        return RegoCompiler.Compile(modules, data, options);
    }

    /// <summary>Null when the file's document is mounted at the path of its folder below <paramref name="root"/>, else why not.</summary>
    private static string? Mount(JsonObject data, string root, string file)
    {
        JsonNode? doc;
        try
        {
            doc = JsonNode.Parse(File.ReadAllText(file));
        }
        catch (JsonException e)
        {
            return e.Message;
        }

        var folder = Path.GetRelativePath(root, Path.GetDirectoryName(file)!);
        return DataMount.TryMount(data, folder == "." ? [] : folder.Split(Path.DirectorySeparatorChar), doc);
    }
}
