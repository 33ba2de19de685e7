using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BalticAI.Sovereignty.Transparency.Export;

/// <summary>What the reader hands over, line by line; spans are only valid during the call.</summary>
public interface IExportVisitor
{
    void Header(ExportHeader header);

    void Checkpoint(long size, string note);

    /// <param name="index">The entry's position as the export states it.</param>
    /// <param name="leaf">Canonical leaf bytes; empty when the event row is missing.</param>
    /// <param name="leafHash">The hash the tree recorded; empty when the export does not carry it.</param>
    /// <param name="data">The event data's JSON text; empty when withheld.</param>
    /// <param name="headers">The event headers' JSON text; empty when withheld or in a version 1 export.</param>
    void Entry(long index, ReadOnlySpan<byte> leaf, ReadOnlySpan<byte> leafHash, ReadOnlySpan<byte> data, ReadOnlySpan<byte> headers);
}

/// <summary>Streams an export file with one reused buffer and no per-line strings: 1,000,000 entries must read at hashing speed.</summary>
public static class LedgerExportReader
{
    public static void Read(Stream input, IExportVisitor visitor)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        var leaf = new byte[4096];
        Span<byte> leafHash = stackalloc byte[64];
        try
        {
            var filled = 0;
            var line = 0L;
            while (true)
            {
                var read = input.Read(buffer, filled, buffer.Length - filled);
                filled += read;
                var start = 0;
                int newline;
                while ((newline = Array.IndexOf(buffer, (byte)'\n', start, filled - start)) >= 0)
                {
                    ReadLine(buffer.AsSpan(start, newline - start), ++line, visitor, ref leaf, leafHash);
                    start = newline + 1;
                }
                if (read == 0)
                {
                    if (filled > start)
                    {
                        ReadLine(buffer.AsSpan(start, filled - start), ++line, visitor, ref leaf, leafHash);
                    }
                    return;
                }
                Buffer.BlockCopy(buffer, start, buffer, 0, filled - start);
                filled -= start;
                if (filled == buffer.Length)
                {
                    // A line longer than the buffer (a large event's data): grow.
                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    Buffer.BlockCopy(buffer, 0, bigger, 0, filled);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void ReadLine(ReadOnlySpan<byte> line, long number, IExportVisitor visitor, ref byte[] leaf, Span<byte> leafHash)
    {
        if (line.IsEmpty)
        {
            return;
        }
        try
        {
            if (line.StartsWith("{\"index\":"u8))
            {
                ReadEntry(line, visitor, ref leaf, leafHash);
            }
            else if (line.StartsWith("{\"checkpoint\":"u8))
            {
                var node = JsonNode.Parse(line)!;
                visitor.Checkpoint(node["checkpoint"]!.GetValue<long>(), node["note"]!.GetValue<string>());
            }
            else
            {
                var node = JsonNode.Parse(line)!;
                if (node["format"]?.GetValue<string>() is not (LedgerExportFormat.Version or LedgerExportFormat.DataOnlyVersion))
                {
                    throw new InvalidDataException($"line {number}: not a {LedgerExportFormat.Version} (or {LedgerExportFormat.DataOnlyVersion}) header");
                }
                visitor.Header(new ExportHeader(node["origin"]!.GetValue<string>(), node["keys"]!.AsArray().Select(k => k!.AsObject()).ToList()));
            }
        }
        catch (Exception e) when (e is JsonException or FormatException or NullReferenceException or InvalidOperationException)
        {
            throw new InvalidDataException($"line {number} of the export is malformed: {e.Message}", e);
        }
    }

    private static void ReadEntry(ReadOnlySpan<byte> line, IExportVisitor visitor, ref byte[] leafBuffer, Span<byte> hashBuffer)
    {
        var reader = new Utf8JsonReader(line);
        long index = -1;
        ReadOnlySpan<byte> leaf = default, hash = default, data = default, headers = default;
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("index"u8))
            {
                reader.Read();
                index = reader.GetInt64();
            }
            else if (reader.ValueTextEquals("leaf"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    var length = Base64.GetMaxDecodedFromUtf8Length(reader.ValueSpan.Length);
                    if (leafBuffer.Length < length)
                    {
                        leafBuffer = new byte[length * 2];
                    }
                    leaf = leafBuffer.AsSpan(0, DecodeInto(ref reader, leafBuffer));
                }
            }
            else if (reader.ValueTextEquals("leafHash"u8))
            {
                reader.Read();
                hash = hashBuffer[..DecodeInto(ref reader, hashBuffer)];
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                data = line[RawValue(ref reader)];
            }
            else if (reader.ValueTextEquals("headers"u8))
            {
                headers = line[RawValue(ref reader)];
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        visitor.Entry(index, leaf, hash, data, headers);
    }

    /// <summary>Where the member's value lies in the line, kept as JSON text.</summary>
    private static Range RawValue(ref Utf8JsonReader reader)
    {
        reader.Read();
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        return start..(int)reader.BytesConsumed;
    }

    private static int DecodeInto(ref Utf8JsonReader reader, Span<byte> destination)
    {
        if (!reader.ValueIsEscaped && Base64.DecodeFromUtf8(reader.ValueSpan, destination, out _, out var written) == OperationStatus.Done)
        {
            return written;
        }
        var bytes = reader.GetBytesFromBase64();
        if (bytes.Length > destination.Length)
        {
            // Only a leaf hash has a fixed buffer: one this long is no hash at all.
            throw new FormatException($"a base64 value of {bytes.Length} bytes where at most {destination.Length} fit");
        }
        bytes.CopyTo(destination);
        return bytes.Length;
    }
}
