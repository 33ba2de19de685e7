using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Policies.Bundles;
using BalticAI.Sovereignty.Security;

namespace BalticAI.Sovereignty.Api.Policies.ReadingBundles;

/// <summary>
/// A recorded bundle as an OPA bundle archive, for `opa eval -b bundle.tar.gz`: `.manifest` with the revision, the
/// broker's root and Rego v1, each module at its path, and the whole data tree in `data.json` at the root, as OPA's own
/// bundle writer places it. The bytes depend on the bundle alone, so an auditor can quote the archive's SHA-256: entries
/// in ordinal order, one fixed time, mode, owner and group, JSON in its RFC 8785 form (a bundle read back from the
/// database holds its keys in another order than the one activated), and a gzip header without time or file name.
/// </summary>
public static class OpaBundleExport
{
    /// <summary>Every entry's modification time: the archive must not record when it was made.</summary>
    private static readonly DateTimeOffset FixedTime = DateTimeOffset.UnixEpoch;

    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public static byte[] Write(PolicyBundle bundle)
    {
        var manifest = new JsonObject
        {
            ["revision"] = bundle.Revision,
            ["roots"] = new JsonArray(BundleRoot.Name),
            ["rego_version"] = 1,
        };
        return Archive(bundle.Modules.Select(m => (m.Path, Content: Encoding.UTF8.GetBytes(m.Source)))
            .Append((".manifest", CanonicalJson.Serialize(manifest)))
            .Append(("data.json", CanonicalJson.Serialize(bundle.Data))));
    }

    /// <summary>Files as a gzipped tar whose bytes depend on the files alone (see the class).</summary>
    public static byte[] Archive(IEnumerable<(string Path, byte[] Content)> entries)
    {
        var files = entries.OrderBy(f => f.Path, StringComparer.Ordinal);
        using var archive = new MemoryStream();
        using (var gzip = new GZipStream(archive, CompressionLevel.Optimal, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Gnu, leaveOpen: true))
        {
            foreach (var (path, content) in files)
            {
                // GNU rather than ustar: a module path of more than 255 bytes is written as a long name, not refused.
                tar.WriteEntry(new GnuTarEntry(TarEntryType.RegularFile, path)
                {
                    ModificationTime = FixedTime,
                    AccessTime = FixedTime,
                    ChangeTime = FixedTime,
                    Mode = FileMode,
                    Uid = 0,
                    Gid = 0,
                    UserName = "",
                    GroupName = "",
                    DataStream = new MemoryStream(content, writable: false),
                });
            }
        }
        return archive.ToArray();
    }
}
