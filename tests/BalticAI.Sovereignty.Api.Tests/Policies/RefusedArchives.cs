using System.Formats.Tar;
using System.Net;
using System.Text;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Policies.BundleArchives;

namespace BalticAI.Sovereignty.Api.Tests.Policies;

/// <summary>
/// Archives the broker must refuse, each with its status and a text the problem must hold (the file or field at fault).
/// Built on demand: the two large ones inflate to megabytes.
/// </summary>
public static class RefusedArchives
{
    /// <summary>The test bundle's files, otherwise acceptable.</summary>
    private static (string Name, string Content)[] Valid => FilesOf(Bundle("refused"));

    private static byte[] ValidWith(params (string Name, string Content)[] extra) => Of([.. Valid, .. extra]);

    private static byte[] WithManifest(string manifest) => Of([("/.manifest", manifest), .. Valid.Skip(1)]);

    private static byte[] ValidWithEntry(TarEntryType type, string name, string? linkName = null) => Build(tar =>
    {
        foreach (var (file, content) in Valid)
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, file) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) });
        }
        var entry = new PaxTarEntry(type, name);
        if (linkName is not null)
        {
            entry.LinkName = linkName;
        }
        tar.WriteEntry(entry);
    });

    /// <summary>Entries of exactly this many bytes of zeros, which gzip shrinks a thousandfold.</summary>
    private static byte[] Zeros(int files, int bytes) => Build(tar =>
    {
        for (var i = 0; i < files; i++)
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, $"padding/{i}.bin") { DataStream = new MemoryStream(new byte[bytes]) });
        }
    });

    public static readonly Dictionary<string, (Func<byte[]> Archive, HttpStatusCode Status, string Naming)> Cases = new()
    {
        ["manifest without revision"] = (() => WithManifest("""{"roots": ["balticai"]}"""), HttpStatusCode.UnprocessableEntity, ".manifest"),
        ["no manifest"] = (() => Of([.. Valid.Skip(1)]), HttpStatusCode.UnprocessableEntity, "revision"),
        ["root outside balticai"] = (() => WithManifest("""{"revision": "r", "roots": ["system"]}"""), HttpStatusCode.UnprocessableEntity, "outside the broker's root"),
        ["data outside a narrower root"] = (() => WithManifest("""{"revision": "r", "roots": ["balticai/access"]}"""), HttpStatusCode.UnprocessableEntity, "do not permit data at path '/balticai/allowedCountries'"),
        ["package outside a narrower root"] = (() => Of([("/.manifest", """{"revision": "r", "roots": ["balticai/access"]}"""),
            .. Valid.Skip(1).Where(f => f.Name.EndsWith(".rego", StringComparison.Ordinal))]), HttpStatusCode.UnprocessableEntity,
            "do not permit package balticai.access_test"),
        ["Rego v0"] = (() => WithManifest("""{"revision": "r", "rego_version": 0}"""), HttpStatusCode.UnprocessableEntity, "Rego v1"),
        ["Wasm in the manifest"] = (() => WithManifest("""{"revision": "r", "wasm": [{"entrypoint": "balticai/access/decision", "module": "/policy.wasm"}]}"""), HttpStatusCode.UnprocessableEntity, "Wasm"),
        ["signed"] = (() => ValidWith(("/.signatures.json", """{"signatures": ["e30.e30.e30"]}""")), HttpStatusCode.UnprocessableEntity, "this broker has no Policy:BundleSigning keys to verify it with"),
        ["policy.wasm"] = (() => ValidWith(("/policy.wasm", "\0asm")), HttpStatusCode.UnprocessableEntity, "policy.wasm"),
        ["delta bundle"] = (() => ValidWith(("/patch.json", """{"data": []}""")), HttpStatusCode.UnprocessableEntity, "delta bundles"),
        ["data outside the roots"] = (() => ValidWith(("/system/data.json", """{"authz": true}""")), HttpStatusCode.UnprocessableEntity, "do not permit data at path '/system'"),
        ["root data outside the roots"] = (() => ValidWith(("/data.json", """{"other": 1}""")), HttpStatusCode.UnprocessableEntity, "do not permit data at path '/other'"),
        ["data outside balticai, no roots given"] = (() => Of([("/.manifest", """{"revision": "r"}"""), .. Valid.Skip(1), ("/system/data.json", """{"authz": true}""")]),
            HttpStatusCode.UnprocessableEntity, "below /balticai"),
        ["root data not an object"] = (() => ValidWith(("/data.json", "[1]")), HttpStatusCode.UnprocessableEntity, "must be an object"),
        ["two files at one data path"] = (() => ValidWith(("/balticai/allowedCountries/data.json", "[\"PL\"]")), HttpStatusCode.UnprocessableEntity, "conflicts with data"),
        ["parent directory"] = (() => ValidWith(("../access/escape.rego", "package balticai.escape\n")), HttpStatusCode.UnprocessableEntity, "../access/escape.rego"),
        ["absolute path after the bundle's slash"] = (() => ValidWith(("//etc/escape.rego", "package balticai.escape\n")), HttpStatusCode.UnprocessableEntity, "//etc/escape.rego"),
        ["the same path twice"] = (() => ValidWith(("access/access.rego", "package balticai.access\n")), HttpStatusCode.UnprocessableEntity, "more than once"),
        ["symbolic link"] = (() => ValidWithEntry(TarEntryType.SymbolicLink, "balticai/extra/data.json", "/etc/passwd"), HttpStatusCode.UnprocessableEntity, "SymbolicLink"),
        ["hard link"] = (() => ValidWithEntry(TarEntryType.HardLink, "access/linked.rego", "access/access.rego"), HttpStatusCode.UnprocessableEntity, "HardLink"),
        ["character device"] = (() => ValidWithEntry(TarEntryType.CharacterDevice, "dev/null"), HttpStatusCode.UnprocessableEntity, "CharacterDevice"),
        ["FIFO"] = (() => ValidWithEntry(TarEntryType.Fifo, "pipe"), HttpStatusCode.UnprocessableEntity, "Fifo"),
        ["malformed data.json"] = (() => ValidWith(("/balticai/extra/data.json", "{\"a\": ")), HttpStatusCode.BadRequest, "balticai/extra/data.json"),
        ["member named twice in data.json"] = (() => ValidWith(("/balticai/extra/data.json", """{"a": 1, "a": 2}""")), HttpStatusCode.BadRequest, "balticai/extra/data.json#/a"),
        ["malformed data.yaml"] = (() => ValidWith(("/balticai/extra/data.yaml", "a: [1, 2\n")), HttpStatusCode.BadRequest, "error converting YAML to JSON"),
        ["NUL in a module"] = (() => ValidWith(("/access/nul.rego", "package balticai.nul\n\nx := 1\0\n")), HttpStatusCode.BadRequest, "U+0000"),
        ["module that does not compile"] = (() => ValidWith(("/access/broken.rego", "package balticai.broken\n\nx := \n")), HttpStatusCode.UnprocessableEntity, "access/broken.rego"),
        ["module outside the root"] = (() => ValidWith(("/system/authz.rego", "package system.authz\n\nallow := true\n")), HttpStatusCode.UnprocessableEntity, "system/authz.rego"),
        ["not gzip"] = (() => Encoding.UTF8.GetBytes("package balticai.access\n"), HttpStatusCode.BadRequest, "not a gzip-compressed tar archive"),
        ["gzip but not tar"] = (() => Gzip(s => s.Write(Encoding.UTF8.GetBytes(new string('x', 2000)))), HttpStatusCode.BadRequest, "not a gzip-compressed tar archive"),
        ["a file over the per-file limit"] = (() => Zeros(1, 1024 * 1024 + 1), HttpStatusCode.RequestEntityTooLarge, "padding/0.bin"),
        ["a gzip bomb within the per-file limit"] = (() => Zeros(9, 1024 * 1024), HttpStatusCode.RequestEntityTooLarge, "inflates to more than"),
    };
}
