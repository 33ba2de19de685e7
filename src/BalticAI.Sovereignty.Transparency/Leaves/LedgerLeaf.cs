using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Security;

namespace BalticAI.Sovereignty.Transparency.Leaves;

/// <summary>
/// One ledger entry as it is hashed into the tree (docs/ledger-format.md, "Leaf encoding"). It holds the
/// digests of the event data and headers and not their text, so they can be withheld from a reader while
/// every proof about the entry stays checkable. A leaf without a headers digest is of format 1, written
/// before the ledger covered who acted; the member's presence is the format, so no leaf can claim the
/// other one without changing its hash.
/// </summary>
public sealed record LedgerLeaf(long Index, long Sequence, Guid EventId, string Stream, string EventType, DateTimeOffset Timestamp, byte[] DataSha256, byte[]? HeadersSha256 = null)
{
    /// <summary>The first format, without the headers digest; ledger_leaves rows appended before format 2 say so.</summary>
    public const short DataOnly = 1;

    /// <summary>The format the tree builder writes: the leaf also digests the event headers (who acted).</summary>
    public const short WithHeaders = 2;

    public short Format => HeadersSha256 is null ? DataOnly : WithHeaders;

    /// <summary>Microseconds, as PostgreSQL stores timestamptz, so a re-read row encodes identically.</summary>
    public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    /// <summary>
    /// The canonical leaf bytes: RFC 8785 JSON of the seven fields (eight with the headers digest). Written
    /// directly rather than through <see cref="CanonicalJson"/>, since the member order is fixed and this runs
    /// once per event in the tree builder; a test checks it against CanonicalJson byte for byte. The UTF-8 is written into one
    /// stack buffer and copied out once, with no string per field on the way.
    /// </summary>
    public byte[] Encode()
    {
        // The fixed text is about 310 bytes with the headers digest; a character of the two strings takes at most six (an escape).
        var bound = 384 + 6 * (EventType.Length + Stream.Length);
        byte[]? rented = null;
        var buffer = bound <= 1024 ? stackalloc byte[1024] : (rented = ArrayPool<byte>.Shared.Rent(bound));
        var length = 0;
        Append(buffer, ref length, "{\"dataSha256\":\""u8);
        length += WriteHex(DataSha256, buffer[length..]);
        Append(buffer, ref length, "\",\"eventId\":\""u8);
        WriteFormatted(EventId, buffer, ref length, "D");
        Append(buffer, ref length, "\",\"eventType\":"u8);
        length += WriteString(EventType, buffer[length..]);
        if (HeadersSha256 is not null)
        {
            Append(buffer, ref length, ",\"headersSha256\":\""u8);
            length += WriteHex(HeadersSha256, buffer[length..]);
            Append(buffer, ref length, "\""u8);
        }
        Append(buffer, ref length, ",\"index\":"u8);
        WriteFormatted(Index, buffer, ref length, default);
        Append(buffer, ref length, ",\"sequence\":"u8);
        WriteFormatted(Sequence, buffer, ref length, default);
        Append(buffer, ref length, ",\"stream\":"u8);
        length += WriteString(Stream, buffer[length..]);
        Append(buffer, ref length, ",\"timestamp\":\""u8);
        WriteFormatted(Microseconds(Timestamp), buffer, ref length, TimestampFormat);
        Append(buffer, ref length, "\"}"u8);
        var bytes = buffer[..length].ToArray();
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
        return bytes;
    }

    private static void Append(Span<byte> buffer, ref int length, ReadOnlySpan<byte> text)
    {
        text.CopyTo(buffer[length..]);
        length += text.Length;
    }

    private static void WriteFormatted<T>(T value, Span<byte> buffer, ref int length, ReadOnlySpan<char> format)
        where T : IUtf8SpanFormattable
    {
        if (!value.TryFormat(buffer[length..], out var written, format, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("the leaf buffer is too small");
        }
        length += written;
    }

    private static int WriteHex(ReadOnlySpan<byte> bytes, Span<byte> destination)
    {
        for (var i = 0; i < bytes.Length; i++)
        {
            destination[2 * i] = (byte)"0123456789abcdef"[bytes[i] >> 4];
            destination[2 * i + 1] = (byte)"0123456789abcdef"[bytes[i] & 0xF];
        }
        return 2 * bytes.Length;
    }

    /// <summary>RFC 8785 §3.2.2.2 strings: escape only quote, backslash and control characters.</summary>
    private static int WriteString(string text, Span<byte> destination)
    {
        destination[0] = (byte)'"';
        var length = 1;
        var rest = text.AsSpan();
        while (true)
        {
            var next = rest.IndexOfAny(CanonicalJson.NeedsEscape);
            length += Encoding.UTF8.GetBytes(next < 0 ? rest : rest[..next], destination[length..]);
            if (next < 0)
            {
                break;
            }
            length += CanonicalJson.WriteEscape(rest[next], destination[length..]);
            rest = rest[(next + 1)..];
        }
        destination[length] = (byte)'"';
        return length + 1;
    }

    public static string FormatTimestamp(DateTimeOffset timestamp) =>
        Microseconds(timestamp).ToString(TimestampFormat, CultureInfo.InvariantCulture);

    /// <summary>Truncated to whole microseconds: PostgreSQL keeps no finer precision.</summary>
    private static DateTime Microseconds(DateTimeOffset timestamp)
    {
        var utc = timestamp.UtcDateTime;
        return new DateTime(utc.Ticks - utc.Ticks % 10, DateTimeKind.Utc);
    }

    /// <summary>SHA-256 of the RFC 8785 form of the event data as stored (jsonb text), so key order and spacing do not matter.</summary>
    public static byte[] DigestData(string json) => CanonicalJson.HashData(json);

    /// <summary>SHA-256 of the RFC 8785 form of the event headers as stored; a row without headers digests JSON null.</summary>
    public static byte[] DigestHeaders(string? json) => CanonicalJson.HashData(json ?? "null");

    /// <summary>
    /// The leaf of an event row as PostgreSQL returns it (`data::text`, `headers::text`, null when the row has none), in
    /// <paramref name="format"/>: the tree builder appends format 2, and every reader recomputes an entry in the format
    /// it was appended in.
    /// </summary>
    public static LedgerLeaf FromRow(long index, long sequence, Guid eventId, string stream, string eventType, DateTimeOffset timestamp,
        string data, string? headers, short format) =>
        new(index, sequence, eventId, stream, eventType, timestamp, DigestData(data), format == DataOnly ? null : DigestHeaders(headers));

    /// <summary>Parses canonical leaf bytes; the caller re-encodes and compares when it must be sure they are canonical.</summary>
    public static LedgerLeaf Decode(ReadOnlySpan<byte> bytes)
    {
        var node = JsonNode.Parse(Encoding.UTF8.GetString(bytes))?.AsObject() ?? throw new FormatException("a leaf is a JSON object");
        return new LedgerLeaf(
            node["index"]!.GetValue<long>(),
            node["sequence"]!.GetValue<long>(),
            Guid.Parse(node["eventId"]!.GetValue<string>()),
            node["stream"]!.GetValue<string>(),
            node["eventType"]!.GetValue<string>(),
            DateTimeOffset.Parse(node["timestamp"]!.GetValue<string>(), CultureInfo.InvariantCulture),
            Convert.FromHexString(node["dataSha256"]!.GetValue<string>()),
            node["headersSha256"] is { } headers ? Convert.FromHexString(headers.GetValue<string>()) : null);
    }

    /// <summary>
    /// Reads the index, the format and (when asked) the digests of a leaf without allocating: the verifier's
    /// hot path. <paramref name="headersSha256"/> is filled only for a leaf of format 2.
    /// </summary>
    public static bool TryReadIndexAndDigests(ReadOnlySpan<byte> bytes, out long index, out short format, Span<byte> dataSha256, Span<byte> headersSha256, bool readDigests = true)
    {
        index = -1;
        format = DataOnly;
        var hasData = false;
        var reader = new Utf8JsonReader(bytes);
        while (TryRead(ref reader))
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1)
            {
                continue;
            }
            if (reader.ValueTextEquals("index"u8))
            {
                if (!TryRead(ref reader) || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out index))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("dataSha256"u8))
            {
                if (!TryRead(ref reader) || !TryReadDigest(ref reader, readDigests ? dataSha256 : default))
                {
                    return false;
                }
                hasData = true;
            }
            else if (reader.ValueTextEquals("headersSha256"u8))
            {
                if (!TryRead(ref reader) || !TryReadDigest(ref reader, readDigests ? headersSha256 : default))
                {
                    return false;
                }
                format = WithHeaders;
            }
        }
        return index >= 0 && hasData;
    }

    /// <summary>Checks a 64-digit hex string and, unless <paramref name="digest"/> is empty, decodes it there.</summary>
    private static bool TryReadDigest(ref Utf8JsonReader reader, Span<byte> digest)
    {
        if (reader.TokenType != JsonTokenType.String || reader.ValueSpan.Length != 64)
        {
            return false;
        }
        Span<char> hex = stackalloc char[64];
        Span<byte> decoded = stackalloc byte[32];
        if (Encoding.ASCII.GetChars(reader.ValueSpan, hex) != 64
            || Convert.FromHexString(hex, decoded, out _, out var written) != OperationStatus.Done || written != 32)
        {
            return false;
        }
        if (!digest.IsEmpty)
        {
            decoded.CopyTo(digest);
        }
        return true;
    }

    /// <summary>A tampered leaf may be any bytes at all: malformed JSON is a bad leaf, not an unreadable export.</summary>
    private static bool TryRead(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
