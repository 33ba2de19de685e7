using System.Formats.Tar;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace BalticAI.Sovereignty.Api.Tests.Policies;

/// <summary>OPA bundle archives built and read in tests, entry by entry, hostile ones included.</summary>
public static class BundleArchives
{
    public const string MediaType = "application/gzip";

    /// <summary>A gzipped tar of regular files, in the order given.</summary>
    public static byte[] Of(params (string Name, string Content)[] files) => Build(tar =>
    {
        foreach (var (name, content) in files)
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) });
        }
    });

    public static byte[] Build(Action<TarWriter> write) => Gzip(raw =>
    {
        using var tar = new TarWriter(raw, TarEntryFormat.Pax, leaveOpen: true);
        write(tar);
    });

    public static byte[] Gzip(Action<Stream> write)
    {
        using var archive = new MemoryStream();
        using (var gzip = new GZipStream(archive, CompressionLevel.Fastest, leaveOpen: true))
        {
            write(gzip);
        }
        return archive.ToArray();
    }

    /// <summary>A JSON activation body as `opa build` would package it: paths with a leading `/`, the data under /balticai.</summary>
    public static (string Name, string Content)[] FilesOf(JsonObject body) =>
    [
        ("/.manifest", new JsonObject { ["revision"] = body["revision"]!.GetValue<string>(), ["roots"] = new JsonArray("balticai") }.ToJsonString()),
        .. body["modules"]!.AsArray().Select(m => ("/" + m!["path"]!.GetValue<string>(), m["source"]!.GetValue<string>())),
        ("/balticai/data.json", body["data"]!.ToJsonString()),
    ];

    /// <summary>Every regular file of an archive with its header, in archive order.</summary>
    public static List<(TarEntry Entry, byte[] Content)> Entries(byte[] archive)
    {
        using var tar = new TarReader(new GZipStream(new MemoryStream(archive), CompressionMode.Decompress));
        var entries = new List<(TarEntry, byte[])>();
        while (tar.GetNextEntry(copyData: true) is { } entry)
        {
            using var content = new MemoryStream();
            entry.DataStream?.CopyTo(content);
            entries.Add((entry, content.ToArray()));
        }
        return entries;
    }

    /// <summary>The archive with its `.manifest` naming another revision, every other file as it was.</summary>
    public static byte[] WithRevision(byte[] archive, string revision) => Build(tar =>
    {
        foreach (var (entry, content) in Entries(archive))
        {
            var replaced = entry.Name == ".manifest"
                ? Encoding.UTF8.GetBytes(JsonNode.Parse(content)!.AsObject().Also(m => m["revision"] = revision).ToJsonString())
                : content;
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, entry.Name) { DataStream = new MemoryStream(replaced) });
        }
    });

    public static Task<HttpResponseMessage> PostArchiveAsync(this HttpClient client, byte[] archive, string mediaType = MediaType)
    {
        var content = new ByteArrayContent(archive);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return client.PostAsync("/policies/bundles", content);
    }

    private static JsonObject Also(this JsonObject node, Action<JsonObject> change)
    {
        change(node);
        return node;
    }
}
