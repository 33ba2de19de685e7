using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BalticAI.Sovereignty.Security;

/// <summary>
/// RFC 8785 JSON Canonicalization Scheme: the one byte form that digests and signatures are computed
/// over, so that a verifier in any language reproduces them.
/// </summary>
public static partial class CanonicalJson
{
    /// <summary>The quote, the backslash and the control characters: the only ones RFC 8785 escapes.</summary>
    public static readonly SearchValues<char> NeedsEscape =
        SearchValues.Create("\"\\" + string.Concat(Enumerable.Range(0, 0x20).Select(c => (char)c)));

    public static byte[] Serialize(JsonNode? node)
    {
        var output = ScratchWriter.Rent();
        Write(output, node);
        return ScratchWriter.ToArrayAndReturn(output);
    }

    public static byte[] Serialize(JsonElement element)
    {
        var output = ScratchWriter.Rent();
        Write(output, element);
        return ScratchWriter.ToArrayAndReturn(output);
    }

    /// <summary>The canonical form of UTF-8 JSON, e.g. straight from the serializer, without building a node tree.</summary>
    public static byte[] Serialize(ReadOnlyMemory<byte> utf8Json)
    {
        using var document = JsonDocument.Parse(utf8Json);
        return Serialize(document.RootElement);
    }

    /// <summary>The canonical form of JSON text, without building a node tree (the ledger hashes every event's data this way).</summary>
    public static byte[] Serialize(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Serialize(document.RootElement);
    }

    /// <summary>`sha256:` and the lower-case hex digest of the canonical form.</summary>
    public static string Sha256(JsonNode? node)
    {
        var output = ScratchWriter.Rent();
        Write(output, node);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(output.WrittenSpan, digest);
        ScratchWriter.Return(output);
        return FormatSha256(digest);
    }

    /// <summary>SHA-256 of the canonical form of JSON text: the ledger's digest of an event's data.</summary>
    public static byte[] HashData(string json)
    {
        using var document = JsonDocument.Parse(json);
        var output = ScratchWriter.Rent();
        Write(output, document.RootElement);
        var digest = SHA256.HashData(output.WrittenSpan);
        ScratchWriter.Return(output);
        return digest;
    }

    /// <summary>`sha256:` and the lower-case hex of a SHA-256 digest, without a string for the hex alone.</summary>
    public static string FormatSha256(ReadOnlySpan<byte> digest)
    {
        if (digest.Length != SHA256.HashSizeInBytes)
        {
            throw new ArgumentException("a SHA-256 digest has 32 bytes", nameof(digest));
        }
        Span<char> text = stackalloc char[7 + 2 * SHA256.HashSizeInBytes];
        "sha256:".CopyTo(text);
        Convert.TryToHexStringLower(digest, text[7..], out _);
        return new string(text);
    }

    private static void Write(ArrayBufferWriter<byte> output, JsonNode? node)
    {
        switch (node)
        {
            case null:
                Ascii(output, "null");
                break;
            case JsonObject obj:
                WriteObject(output, obj);
                break;
            case JsonArray array:
                Byte(output, (byte)'[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0)
                    {
                        Byte(output, (byte)',');
                    }
                    Write(output, array[i]);
                }
                Byte(output, (byte)']');
                break;
            default:
                WriteValue(output, node.AsValue());
                break;
        }
    }

    private static void WriteValue(ArrayBufferWriter<byte> output, JsonValue value)
    {
        // Values parsed from text hold a JsonElement; values set from code hold the CLR value, and the
        // common ones are written directly rather than round-tripped through the serializer.
        if (value.TryGetValue<JsonElement>(out var element))
        {
            Write(output, element);
        }
        else if (value.TryGetValue<string>(out var text))
        {
            WriteString(output, text);
        }
        else if (value.TryGetValue<bool>(out var flag))
        {
            Ascii(output, flag ? "true" : "false");
        }
        else if (value.TryGetValue<long>(out var integer))
        {
            WriteInteger(output, integer);
        }
        else if (value.TryGetValue<int>(out var small))
        {
            WriteInteger(output, small);
        }
        else if (value.TryGetValue<double>(out var number))
        {
            Ascii(output, FormatNumber(number));
        }
        else
        {
            Write(output, JsonSerializer.SerializeToElement(value));
        }
    }

    private static void WriteObject(ArrayBufferWriter<byte> output, JsonObject obj)
    {
        // Members are sorted in a pooled array: a sorting enumerable or a list per object was a large
        // share of a decision's allocations. Each nesting level rents its own.
        var rented = ArrayPool<KeyValuePair<string, JsonNode?>>.Shared.Rent(obj.Count);
        var members = rented.AsSpan(0, obj.Count);
        for (var i = 0; i < members.Length; i++)
        {
            members[i] = obj.GetAt(i);
        }
        // Keys sort by their UTF-16 code units, which is what ordinal string comparison does.
        members.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        Byte(output, (byte)'{');
        for (var i = 0; i < members.Length; i++)
        {
            if (i > 0)
            {
                Byte(output, (byte)',');
            }
            WriteString(output, members[i].Key);
            Byte(output, (byte)':');
            Write(output, members[i].Value);
        }
        Byte(output, (byte)'}');
        // Cleared so that the pool holds no nodes.
        members.Clear();
        ArrayPool<KeyValuePair<string, JsonNode?>>.Shared.Return(rented);
    }

    internal static void WriteString(ArrayBufferWriter<byte> output, string text)
    {
        Byte(output, (byte)'"');
        var rest = text.AsSpan();
        while (!rest.IsEmpty)
        {
            var next = rest.IndexOfAny(NeedsEscape);
            var plain = next < 0 ? rest : rest[..next];
            if (!plain.IsEmpty)
            {
                // Asking for the worst case (3 bytes a char) would grow a buffer that has room for the
                // actual bytes, so the exact count is taken when the worst case does not fit.
                var needed = Encoding.UTF8.GetMaxByteCount(plain.Length);
                if (output.FreeCapacity < needed)
                {
                    needed = Encoding.UTF8.GetByteCount(plain);
                }
                output.Advance(Encoding.UTF8.GetBytes(plain, output.GetSpan(needed)));
            }
            if (next < 0)
            {
                break;
            }
            WriteEscape(output, rest[next]);
            rest = rest[(next + 1)..];
        }
        Byte(output, (byte)'"');
    }

    private static void WriteEscape(ArrayBufferWriter<byte> output, char c) => output.Advance(WriteEscape(c, output.GetSpan(6)));

    /// <summary>
    /// The RFC 8785 escape of one of <see cref="NeedsEscape"/>: the short forms for quote, backslash and
    /// the five named controls, the other controls as \u00 and two lower-case hex digits. At most 6 bytes.
    /// </summary>
    public static int WriteEscape(char c, Span<byte> destination)
    {
        var escape = c switch
        {
            '"' => "\\\""u8,
            '\\' => "\\\\"u8,
            '\b' => "\\b"u8,
            '\f' => "\\f"u8,
            '\n' => "\\n"u8,
            '\r' => "\\r"u8,
            '\t' => "\\t"u8,
            _ => default,
        };
        if (!escape.IsEmpty)
        {
            escape.CopyTo(destination);
            return escape.Length;
        }
        "\\u00"u8.CopyTo(destination);
        destination[4] = (byte)"0123456789abcdef"[c >> 4];
        destination[5] = (byte)"0123456789abcdef"[c & 0xF];
        return 6;
    }

    internal static void Byte(ArrayBufferWriter<byte> output, byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    private static void Ascii(ArrayBufferWriter<byte> output, string text)
    {
        var written = Encoding.ASCII.GetBytes(text, output.GetSpan(text.Length));
        output.Advance(written);
    }
}
