using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Security;

namespace BalticAI.Sovereignty.Transparency.Leaves;

/// <summary>
/// One ledger entry as it is hashed into the tree (docs/ledger-format.md, "Leaf encoding"). It holds the
/// digest of the event data and not the data, so the data can be withheld from a reader while every
/// proof about the entry stays checkable.
/// </summary>
public sealed record LedgerLeaf(long Index, long Sequence, Guid EventId, string Stream, string EventType, DateTimeOffset Timestamp, byte[] DataSha256)
{
    /// <summary>Microseconds, as PostgreSQL stores timestamptz, so a re-read row encodes identically.</summary>
    public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    /// <summary>
    /// The canonical leaf bytes: RFC 8785 JSON of the seven fields. Written directly rather than through
    /// <see cref="CanonicalJson"/>, since the member order is fixed and this runs once per event in the
    /// tree builder; a test checks it against CanonicalJson byte for byte. The UTF-8 is written into one
    /// stack buffer and copied out once, with no string per field on the way.
    /// </summary>
    public byte[] Encode()
    {
        // The fixed text is under 256 bytes; a character of the two strings takes at most six (an escape).
        var bound = 256 + 6 * (EventType.Length + Stream.Length);
        byte[]? rented = null;
        var buffer = bound <= 1024 ? stackalloc byte[1024] : (rented = ArrayPool<byte>.Shared.Rent(bound));
        var length = 0;
        Append(buffer, ref length, "{\"dataSha256\":\""u8);
        length += WriteHex(DataSha256, buffer[length..]);
        Append(buffer, ref length, "\",\"eventId\":\""u8);
        Format(EventId, buffer, ref length, "D");
        Append(buffer, ref length, "\",\"eventType\":"u8);
        length += WriteString(EventType, buffer[length..]);
        Append(buffer, ref length, ",\"index\":"u8);
        Format(Index, buffer, ref length, default);
        Append(buffer, ref length, ",\"sequence\":"u8);
        Format(Sequence, buffer, ref length, default);
        Append(buffer, ref length, ",\"stream\":"u8);
        length += WriteString(Stream, buffer[length..]);
        Append(buffer, ref length, ",\"timestamp\":\""u8);
        Format(Microseconds(Timestamp), buffer, ref length, TimestampFormat);
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

    private static void Format<T>(T value, Span<byte> buffer, ref int length, ReadOnlySpan<char> format)
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
            Convert.FromHexString(node["dataSha256"]!.GetValue<string>()));
    }

    /// <summary>Reads the index (and, when asked, the data digest) of a leaf without allocating: the verifier's hot path.</summary>
    public static bool TryReadIndexAndDigest(ReadOnlySpan<byte> bytes, out long index, Span<byte> dataSha256, bool readDigest = true)
    {
        index = -1;
        var needed = readDigest ? 2 : 1;
        var found = 0;
        var reader = new Utf8JsonReader(bytes);
        Span<char> hex = stackalloc char[64];
        while (found < needed && TryRead(ref reader))
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1)
            {
                continue;
            }
            if (reader.ValueTextEquals("index"u8))
            {
                if (!TryRead(ref reader))
                {
                    return false;
                }
                found += reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out index) ? 1 : 0;
            }
            else if (readDigest && reader.ValueTextEquals("dataSha256"u8))
            {
                if (!TryRead(ref reader) || reader.TokenType != JsonTokenType.String || reader.ValueSpan.Length != 64 || Encoding.ASCII.GetChars(reader.ValueSpan, hex) != 64
                    || Convert.FromHexString(hex, dataSha256, out _, out var written) != System.Buffers.OperationStatus.Done || written != 32)
                {
                    return false;
                }
                found++;
            }
        }
        return found == needed;
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
