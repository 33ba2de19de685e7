using System.Formats.Tar;
using System.IO.Compression;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Policies.ActivatingBundle;

/// <summary>One regular file of a bundle archive, by its path relative to the bundle root.</summary>
public sealed record ArchiveFile(string Path, byte[] Content);

/// <summary>Why an archive is refused, as the problem to answer; thrown while reading, answered by the endpoint.</summary>
public sealed class BundleArchiveRefusedException(ProblemHttpResult problem) : Exception(problem.ProblemDetails.Detail)
{
    public ProblemHttpResult Problem { get; } = problem;

    /// <summary>The problem's errors as one line, `where: why; ...`, for a refusal read outside a request.</summary>
    public string Reasons => Problem.ProblemDetails.Extensions.TryGetValue("errors", out var errors) && errors is Dictionary<string, string[]> byPath
        ? Describe(byPath)
        : "";

    public static string Describe(Dictionary<string, string[]> byPath) => string.Join("; ", byPath.Select(p => $"{p.Key}: {string.Join(", ", p.Value)}"));

    public static BundleArchiveRefusedException Malformed(string where, string why) => new(TypedResults.Problem(
        title: "The bundle archive is malformed", detail: "The body must be a gzip-compressed tar archive (an OPA bundle).",
        statusCode: StatusCodes.Status400BadRequest,
        extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [where] = [why] } }));

    public static BundleArchiveRefusedException TooLarge(string where, string why) => new(TypedResults.Problem(
        title: "The bundle archive is too large", detail: why, statusCode: StatusCodes.Status413PayloadTooLarge,
        extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [where] = [why] } }));

    public static BundleArchiveRefusedException NotAcceptable(string where, string why) =>
        new(ActivateBundleEndpoint.NotAcceptable(new Dictionary<string, string[]> { [where] = [why] }, null));
}

/// <summary>
/// The regular files of a gzipped tar, as OPA's tarball loader lists them, with what it leaves to its caller refused:
/// the compressed body is bounded by `Api:MaxRequestBodyBytes` like every body, but gzip inflates a thousandfold, so
/// what it inflates to is bounded too (a file, and the archive as a whole, headers included), and reading stops as
/// soon as either is passed. A path must stay inside the bundle; links, devices and FIFOs are refused rather than
/// skipped as OPA skips them, lest a bundle seem to hold a file it does not.
/// </summary>
public static class OpaBundleArchive
{
    /// <summary>
    /// The archive may inflate to this many times the body limit: Rego and JSON text gzips four to eight times smaller,
    /// so an archive of text within the body limit fits, while a gzip bomb is stopped after a few MiB.
    /// </summary>
    public const int InflationFactor = 8;

    public static IReadOnlyList<ArchiveFile> Read(Stream gzip, long maxFileBytes, long maxTotalBytes)
    {
        var files = new Dictionary<string, ArchiveFile>(StringComparer.Ordinal);
        using var inflated = new BoundedStream(new GZipStream(gzip, CompressionMode.Decompress), maxTotalBytes);
        using var tar = new TarReader(inflated);
        while (Next(tar) is { } entry)
        {
            var name = entry.Name;
            switch (entry.EntryType)
            {
                case TarEntryType.Directory or TarEntryType.GlobalExtendedAttributes:
                    continue;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile:
                    break;
                default:
                    throw BundleArchiveRefusedException.NotAcceptable(name,
                        $"is a {entry.EntryType} entry: only regular files and directories are accepted (no links, devices or FIFOs)");
            }
            var path = BundlePath(name);
            if (entry.Length > maxFileBytes)
            {
                throw BundleArchiveRefusedException.TooLarge(path, $"inflates to {entry.Length} bytes; a file may hold at most {maxFileBytes}");
            }
            if (!files.TryAdd(path, new ArchiveFile(path, Content(entry))))
            {
                throw BundleArchiveRefusedException.NotAcceptable(path, "is in the archive more than once");
            }
        }
        return files.Values.OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
    }

    private static TarEntry? Next(TarReader tar)
    {
        try
        {
            return tar.GetNextEntry(copyData: false);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or ArgumentException)
        {
            throw BundleArchiveRefusedException.Malformed("archive", $"is not a gzip-compressed tar archive: {e.Message}");
        }
    }

    private static byte[] Content(TarEntry entry)
    {
        var content = new byte[entry.Length];
        try
        {
            entry.DataStream?.ReadExactly(content);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw BundleArchiveRefusedException.Malformed(entry.Name, $"is cut short: {e.Message}");
        }
        return content;
    }

    /// <summary>
    /// The path OPA names the file by: `opa build` writes `/policy.rego` and `tar -C dir .` writes `./policy.rego`, both
    /// the bundle's `policy.rego`. Beyond that one prefix, every segment must be a plain name, so nothing reaches outside
    /// the bundle or names a file two ways.
    /// </summary>
    private static string BundlePath(string name)
    {
        var path = name.StartsWith("./", StringComparison.Ordinal) ? name[2..] : name.StartsWith('/') ? name[1..] : name;
        if (path.Length == 0 || path.Any(c => c == '\\' || char.IsControl(c)) || path.Split('/').Any(s => s is "" or "." or ".."))
        {
            throw BundleArchiveRefusedException.NotAcceptable(name,
                "must be a path inside the bundle: non-empty segments, without . or .. segments, backslashes or control characters");
        }
        return path;
    }

    /// <summary>Counts what gzip inflates and stops it past the limit, before the tar reader sees more.</summary>
    private sealed class BoundedStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public override int Read(byte[] buffer, int offset, int count) => Counted(inner.Read(buffer, offset, count));

        public override int Read(Span<byte> buffer) => Counted(inner.Read(buffer));

        private int Counted(int read)
        {
            _read += read;
            if (_read > limit)
            {
                throw BundleArchiveRefusedException.TooLarge("archive", $"inflates to more than {limit} bytes");
            }
            return read;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }
        public override void Flush() => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
