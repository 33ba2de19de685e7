using System.Globalization;
using System.Security.Cryptography;
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
    /// tree builder; a test checks it against CanonicalJson byte for byte.
    /// </summary>
    public byte[] Encode()
    {
        var builder = new StringBuilder(320);
        builder.Append("{\"dataSha256\":\"").Append(Convert.ToHexStringLower(DataSha256))
            .Append("\",\"eventId\":\"").Append(EventId.ToString("D"))
            .Append("\",\"eventType\":");
        AppendString(builder, EventType);
        builder.Append(",\"index\":").Append(Index.ToString(CultureInfo.InvariantCulture))
            .Append(",\"sequence\":").Append(Sequence.ToString(CultureInfo.InvariantCulture))
            .Append(",\"stream\":");
        AppendString(builder, Stream);
        builder.Append(",\"timestamp\":\"").Append(FormatTimestamp(Timestamp)).Append("\"}");
        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    /// <summary>RFC 8785 §3.2.2.2 strings: escape only quote, backslash and control characters.</summary>
    private static void AppendString(StringBuilder builder, string text)
    {
        builder.Append('"');
        foreach (var c in text)
        {
            _ = c switch
            {
                '"' => builder.Append("\\\""),
                '\\' => builder.Append("\\\\"),
                '\b' => builder.Append("\\b"),
                '\f' => builder.Append("\\f"),
                '\n' => builder.Append("\\n"),
                '\r' => builder.Append("\\r"),
                '\t' => builder.Append("\\t"),
                < ' ' => builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => builder.Append(c),
            };
        }
        builder.Append('"');
    }

    public static string FormatTimestamp(DateTimeOffset timestamp)
    {
        // Truncate to whole microseconds: PostgreSQL keeps no finer precision.
        var utc = timestamp.UtcDateTime;
        var micros = new DateTime(utc.Ticks - utc.Ticks % 10, DateTimeKind.Utc);
        return micros.ToString(TimestampFormat, CultureInfo.InvariantCulture);
    }

    /// <summary>SHA-256 of the RFC 8785 form of the event data as stored (jsonb text), so key order and spacing do not matter.</summary>
    public static byte[] DigestData(string json) => SHA256.HashData(CanonicalJson.Serialize(json));

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
        while (found < needed && reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1)
            {
                continue;
            }
            if (reader.ValueTextEquals("index"u8))
            {
                reader.Read();
                found += reader.TryGetInt64(out index) ? 1 : 0;
            }
            else if (readDigest && reader.ValueTextEquals("dataSha256"u8))
            {
                reader.Read();
                if (reader.ValueSpan.Length != 64 || Encoding.ASCII.GetChars(reader.ValueSpan, hex) != 64
                    || Convert.FromHexString(hex, dataSha256, out _, out var written) != System.Buffers.OperationStatus.Done || written != 32)
                {
                    return false;
                }
                found++;
            }
        }
        return found == needed;
    }
}
