using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Validation;
using BalticAI.Sovereignty.Api.Policies.Bundles;
using BalticAI.Sovereignty.Api.Policies.Signing;
using BalticAI.Sovereignty.Rego;

namespace BalticAI.Sovereignty.Api.Policies.ActivatingBundle;

/// <summary>
/// An OPA bundle's files as the activation body the JSON route takes, read as OPA's bundle Reader reads them
/// (v1/bundle/bundle.go): every `*.rego` file is a module named by its path; a `data.json`, `data.yaml` or `data.yml`
/// is placed at its directory's path in the data tree, objects from several files merging and anything else at one
/// path conflicting; `.manifest` gives the revision and roots. Files OPA does not read are ignored as OPA ignores them.
/// What OPA would read but the broker cannot record faithfully is refused: Wasm and plan modules, delta bundles, and Rego other than v1.
/// </summary>
public static class OpaBundleImport
{
    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 32 };

    /// <summary>
    /// An archive as an activation takes it, from an upload or from `Policy:InitialBundle`: its files read within the
    /// bounds, its signature verified (<see cref="BundleSignatureVerifier"/>) before any file is read as a bundle, then mapped.
    /// </summary>
    /// <exception cref="BundleArchiveRefusedException">The archive, its signature or its content is refused.</exception>
    public static (ActivateBundleEndpoint.ActivateBundle Request, BundleSignature? Signature) ReadSigned(
        Stream gzip, long maxFileBytes, long maxTotalBytes, BundleSigningOptions signing)
    {
        var files = OpaBundleArchive.Read(gzip, maxFileBytes, maxTotalBytes);
        var signature = BundleSignatureVerifier.Verify(files, signing);
        return (Map(files), signature);
    }

    public static ActivateBundleEndpoint.ActivateBundle Map(IReadOnlyList<ArchiveFile> files)
    {
        var manifest = files.FirstOrDefault(f => f.Path == ".manifest") is { } m ? Manifest(m) : null;
        var modules = new List<BundleModule>();
        var data = new JsonObject();
        foreach (var file in files)
        {
            var name = file.Path[(file.Path.LastIndexOf('/') + 1)..];
            if (file.Path == BundleSignatureVerifier.SignaturesFile)
            {
                // Verified before the files are read as a bundle, or the archive was refused.
                continue;
            }
            if (file.Path.EndsWith("signatures.json", StringComparison.Ordinal))
            {
                throw Refused(file, $"the only signatures file taken is {BundleSignatureVerifier.SignaturesFile} at the bundle's root");
            }
            if (name == "policy.wasm" || name.EndsWith(".wasm", StringComparison.Ordinal) || name == "plan.json")
            {
                throw Refused(file, "Wasm and plan modules are not supported: the broker evaluates Rego source only");
            }
            if (name == "patch.json")
            {
                throw Refused(file, "delta bundles are not supported: send the whole bundle");
            }
            if (file.Path != ".manifest" && file.Path.EndsWith(".manifest", StringComparison.Ordinal))
            {
                throw Refused(file, "OPA reads every file ending in .manifest as the bundle's manifest: only the one at the root is accepted");
            }
            if (file.Path.EndsWith(".rego", StringComparison.Ordinal))
            {
                modules.Add(new BundleModule(file.Path, Text(file, source: true)));
            }
            else if (name is "data.json" or "data.yaml" or "data.yml")
            {
                Place(data, file, name == "data.json" ? Json(file) : Yaml(file));
            }
        }
        if (manifest?.Roots is { } roots)
        {
            CheckBelowRoots(data, "", roots);
            CheckPackagesBelowRoots(modules, roots);
        }
        if (data.Any(p => p.Key != BundleRoot.Name))
        {
            throw BundleArchiveRefusedException.NotAcceptable("data", $"every data document must be below /{BundleRoot.Name}: the broker's data is data.{BundleRoot.Name}");
        }
        var below = data[BundleRoot.Name];
        if (below is not (null or JsonObject))
        {
            throw BundleArchiveRefusedException.NotAcceptable("data", $"data.{BundleRoot.Name} must be an object");
        }
        data.Remove(BundleRoot.Name);
        return new ActivateBundleEndpoint.ActivateBundle(manifest?.Revision ?? "", modules, (JsonObject?)below);
    }

    private sealed record ManifestContent(string Revision, IReadOnlyList<string>? Roots);

    /// <summary>The revision is required: the broker records every bundle under one and OPA reports it with each decision.</summary>
    private static ManifestContent Manifest(ArchiveFile file)
    {
        if (Json(file) is not JsonObject manifest)
        {
            throw Refused(file, "must be a JSON object");
        }
        if (manifest["revision"] is not JsonValue revision || !revision.TryGetValue<string>(out var text) || string.IsNullOrWhiteSpace(text))
        {
            throw Refused(file, "needs a revision: a non-empty string naming the bundle (the broker records every bundle under one)");
        }
        if (manifest["wasm"] is JsonArray { Count: > 0 })
        {
            throw Refused(file, "Wasm modules are not supported: the broker evaluates Rego source only");
        }
        if (manifest["rego_version"] is { } version && version.ToJsonString() != "1"
            || manifest["file_rego_versions"] is JsonObject files && files.Any(f => f.Value?.ToJsonString() != "1"))
        {
            throw Refused(file, "only Rego v1 is supported (rego_version 1)");
        }
        return new ManifestContent(text, manifest["roots"] is { } roots ? Roots(file, roots) : null);
    }

    /// <summary>Roots as OPA reads them (without leading or trailing `/`), each within the broker's root and none overlapping.</summary>
    private static List<string> Roots(ArchiveFile file, JsonNode node)
    {
        if (node is not JsonArray array || array.Any(r => r is not JsonValue v || !v.TryGetValue<string>(out _)))
        {
            throw Refused(file, "roots must be an array of strings");
        }
        var roots = array.Select(r => r!.GetValue<string>().Trim('/')).ToList();
        if (roots.FirstOrDefault(r => !Contains(BundleRoot.Name, r)) is { } outside)
        {
            throw Refused(file, $"root '{outside}' is outside the broker's root '{BundleRoot.Name}': every root must be {BundleRoot.Name} or below it");
        }
        for (var i = 0; i < roots.Count; i++)
        {
            if (roots.Skip(i + 1).FirstOrDefault(r => Contains(roots[i], r) || Contains(r, roots[i])) is { } other)
            {
                throw Refused(file, $"has overlapped roots: '{roots[i]}' and '{other}'");
            }
        }
        return roots;
    }

    private static bool Contains(string root, string path)
    {
        var (r, p) = (root.Split('/'), path.Split('/'));
        return r.Length <= p.Length && r.SequenceEqual(p.Take(r.Length));
    }

    /// <summary>OPA's check that data lies within the roots: a leaf within one, or an object on the way to one.</summary>
    private static void CheckBelowRoots(JsonNode? node, string path, IReadOnlyList<string> roots)
    {
        var trimmed = path.Trim('/');
        if (roots.Any(r => Contains(r, trimmed)))
        {
            return;
        }
        if (node is JsonObject obj && (trimmed.Length == 0 || roots.Any(r => Contains(trimmed, r))))
        {
            foreach (var (key, child) in obj)
            {
                CheckBelowRoots(child, path + "/" + key, roots);
            }
            return;
        }
        throw BundleArchiveRefusedException.NotAcceptable("data", $"the manifest's roots [{string.Join(", ", roots)}] do not permit data at path '{path}'");
    }

    /// <summary>
    /// OPA's check that every package lies within the roots. Only roots narrower than the broker's need it (activation
    /// holds every package below `balticai` itself), and only they pay for the compilation that names the packages; a
    /// bundle that does not compile is left to activation, which refuses it naming each error.
    /// </summary>
    private static void CheckPackagesBelowRoots(List<BundleModule> modules, IReadOnlyList<string> roots)
    {
        if (roots.Contains(BundleRoot.Name))
        {
            return;
        }
        IReadOnlyList<(string File, IReadOnlyList<string> Package)> packages;
        try
        {
            packages = RegoCompiler.Compile(modules.Select(m => new RegoModule(m.Path, m.Source)), new JsonObject(), RegoOptions.Default).Packages();
        }
        catch (RegoException)
        {
            return;
        }
        if (packages.FirstOrDefault(p => !roots.Any(r => Contains(r, string.Join('/', p.Package)))) is { File: not null } outside)
        {
            throw BundleArchiveRefusedException.NotAcceptable(outside.File,
                $"the manifest's roots [{string.Join(", ", roots)}] do not permit package {string.Join('.', outside.Package)}");
        }
    }

    /// <summary>The value at the file's directory, merged as OPA merges (objects key by key; any other value twice conflicts).</summary>
    private static void Place(JsonObject data, ArchiveFile file, JsonNode? value)
    {
        var directory = file.Path.Contains('/') ? file.Path[..file.Path.LastIndexOf('/')].Split('/') : [];
        switch (DataMount.TryMount(data, directory, value))
        {
            case null:
                return;
            case { ConflictPath: null }:
                throw Refused(file, "the data document at the bundle root must be an object");
            default:
                throw Refused(file, "conflicts with data another file of the bundle already placed at the same path");
        }
    }

    private static JsonNode? Json(ArchiveFile file)
    {
        JsonElement element;
        try
        {
            using var document = JsonDocument.Parse(Text(file, source: false), ParseOptions);
            element = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw BundleArchiveRefusedException.Malformed(file.Path, "is not well-formed JSON: " + e.Message);
        }
        return Checked(file, element);
    }

    /// <summary>YAML is typed as go-yaml v2 types it, as OPA's reader does.</summary>
    private static JsonNode? Yaml(ArchiveFile file)
    {
        try
        {
            return Checked(file, JsonSerializer.SerializeToElement(YamlToJson.Convert(Text(file, source: false))));
        }
        catch (FormatException e)
        {
            throw BundleArchiveRefusedException.Malformed(file.Path, e.Message);
        }
    }

    /// <summary>Every check a JSON body gets (members named twice, unsafe text, numbers no double holds), named by file.</summary>
    private static JsonNode? Checked(ArchiveFile file, JsonElement element) =>
        RequestBody.Problem(element, file.Path + "#") is { } problem
            ? throw new BundleArchiveRefusedException(problem)
            : JsonNode.Parse(element.GetRawText());

    private static string Text(ArchiveFile file, bool source)
    {
        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(file.Content);
        }
        catch (DecoderFallbackException)
        {
            throw BundleArchiveRefusedException.Malformed(file.Path, "is not UTF-8 text");
        }
        if (source && TextSafety.Problem(text, keepsLineEndings: true) is { } problem)
        {
            throw BundleArchiveRefusedException.Malformed(file.Path, problem);
        }
        return text;
    }

    private static BundleArchiveRefusedException Refused(ArchiveFile file, string why) => BundleArchiveRefusedException.NotAcceptable(file.Path, why);
}
