using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ascii7 = System.Text.Ascii;

namespace BalticAI.Sovereignty.Security;

/// <summary>
/// RFC 8785 JSON Canonicalization Scheme: the one byte form that digests and signatures are computed
/// over, so that a verifier in any language reproduces them.
/// </summary>
public static class CanonicalJson
{
    /// <summary>The quote, the backslash and the control characters: the only ones RFC 8785 escapes.</summary>
    internal static readonly SearchValues<char> NeedsEscape =
        SearchValues.Create("\"\\" + string.Concat(Enumerable.Range(0, 0x20).Select(c => (char)c)));

    public static byte[] Serialize(JsonNode? node)
    {
        var output = new ArrayBufferWriter<byte>(256);
        Write(output, node);
        return output.WrittenSpan.ToArray();
    }

    public static byte[] Serialize(JsonElement element)
    {
        var output = new ArrayBufferWriter<byte>(256);
        Write(output, element);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>The canonical form of UTF-8 JSON, e.g. straight from the serializer, without building a node tree.</summary>
    public static byte[] Serialize(ReadOnlyMemory<byte> utf8Json)
    {
        using var document = JsonDocument.Parse(utf8Json);
        var output = new ArrayBufferWriter<byte>(utf8Json.Length);
        Write(output, document.RootElement);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>The canonical form of JSON text, without building a node tree (the ledger hashes every event's data this way).</summary>
    public static byte[] Serialize(string json)
    {
        using var document = JsonDocument.Parse(json);
        var output = new ArrayBufferWriter<byte>(json.Length);
        Write(output, document.RootElement);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>`sha256:` and the lower-case hex digest of the canonical form.</summary>
    public static string Sha256(JsonNode? node) =>
        "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Serialize(node)));

    private static void Write(ArrayBufferWriter<byte> output, JsonNode? node)
    {
        switch (node)
        {
            case null:
                Ascii(output, "null");
                break;
            case JsonObject obj:
                Byte(output, (byte)'{');
                var first = true;
                // Keys sort by their UTF-16 code units, which is what ordinal string comparison does.
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!first)
                    {
                        Byte(output, (byte)',');
                    }
                    first = false;
                    WriteString(output, key);
                    Byte(output, (byte)':');
                    Write(output, value);
                }
                Byte(output, (byte)'}');
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
            Ascii(output, FormatNumber(integer));
        }
        else if (value.TryGetValue<int>(out var small))
        {
            Ascii(output, FormatNumber(small));
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

    private static void Write(ArrayBufferWriter<byte> output, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                WriteObject(output, element);
                break;
            case JsonValueKind.Array:
                Byte(output, (byte)'[');
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (index++ > 0)
                    {
                        Byte(output, (byte)',');
                    }
                    Write(output, item);
                }
                Byte(output, (byte)']');
                break;
            case JsonValueKind.String:
                // Text without a backslash is already in canonical form: JSON forbids raw control
                // characters in strings, and RFC 8785 writes every other character as it is.
                var raw = JsonMarshal.GetRawUtf8Value(element);
                if (raw.IndexOf((byte)'\\') < 0)
                {
                    output.Write(raw);
                }
                else
                {
                    WriteString(output, element.GetString()!);
                }
                break;
            case JsonValueKind.Number:
                var number = JsonMarshal.GetRawUtf8Value(element);
                if (IsCanonicalInteger(number))
                {
                    output.Write(number);
                }
                else
                {
                    Ascii(output, FormatNumber(element.GetDouble()));
                }
                break;
            case JsonValueKind.True:
                Ascii(output, "true");
                break;
            case JsonValueKind.False:
                Ascii(output, "false");
                break;
            case JsonValueKind.Null:
                Ascii(output, "null");
                break;
            default:
                throw new InvalidOperationException($"unexpected JSON value kind {element.ValueKind}");
        }
    }

    private static void WriteObject(ArrayBufferWriter<byte> output, JsonElement element)
    {
        var members = new List<Member>();
        foreach (var property in element.EnumerateObject())
        {
            members.Add(Member.Of(property));
        }
        members.Sort(Member.Compare);
        Byte(output, (byte)'{');
        for (var i = 0; i < members.Count; i++)
        {
            if (i > 0)
            {
                Byte(output, (byte)',');
            }
            var member = members[i];
            if (member.Unescaped)
            {
                Byte(output, (byte)'"');
                output.Write(JsonMarshal.GetRawUtf8PropertyName(member.Property));
                Byte(output, (byte)'"');
            }
            else
            {
                WriteString(output, member.Property.Name);
            }
            Byte(output, (byte)':');
            Write(output, member.Property.Value);
        }
        Byte(output, (byte)'}');
    }

    /// <summary>A property with what sorting and writing need to know of its raw name, found once.</summary>
    private readonly record struct Member(JsonProperty Property, bool Unescaped, bool PlainAscii)
    {
        public static Member Of(JsonProperty property)
        {
            var raw = JsonMarshal.GetRawUtf8PropertyName(property);
            var unescaped = raw.IndexOf((byte)'\\') < 0;
            return new Member(property, unescaped, unescaped && Ascii7.IsValid(raw));
        }

        /// <summary>
        /// UTF-16 code unit order, as RFC 8785 sorts keys. For unescaped ASCII names that is their byte
        /// order, compared without decoding them; any other pair is compared as decoded strings.
        /// </summary>
        public static int Compare(Member a, Member b) =>
            a.PlainAscii && b.PlainAscii
                ? JsonMarshal.GetRawUtf8PropertyName(a.Property).SequenceCompareTo(JsonMarshal.GetRawUtf8PropertyName(b.Property))
                : string.CompareOrdinal(a.Property.Name, b.Property.Name);
    }

    /// <summary>
    /// An integer of at most 15 digits without sign tricks is exact as a double and ECMAScript prints it
    /// digit for digit, so its source text is already canonical; anything else goes through the double.
    /// </summary>
    private static bool IsCanonicalInteger(ReadOnlySpan<byte> text)
    {
        var digits = text.Length > 0 && text[0] == (byte)'-' ? text[1..] : text;
        if (digits.Length is 0 or > 15 || (digits[0] == (byte)'0' && (digits.Length > 1 || digits.Length != text.Length)))
        {
            return false;
        }
        foreach (var b in digits)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }
        }
        return true;
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
                var written = Encoding.UTF8.GetBytes(plain, output.GetSpan(Encoding.UTF8.GetMaxByteCount(plain.Length)));
                output.Advance(written);
            }
            if (next < 0)
            {
                break;
            }
            Ascii(output, rest[next] switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\b' => "\\b",
                '\f' => "\\f",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                var c => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
            });
            rest = rest[(next + 1)..];
        }
        Byte(output, (byte)'"');
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

    /// <summary>ECMAScript Number.prototype.toString, as RFC 8785 §3.2.2.3 requires.</summary>
    public static string FormatNumber(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), "JSON has no NaN or Infinity");
        }
        if (value == 0)
        {
            return "0";
        }
        // Integers below 2^53 are exact and ECMAScript prints all their digits.
        if (Math.Abs(value) < 9007199254740992 && value == Math.Floor(value))
        {
            return ((long)value).ToString(CultureInfo.InvariantCulture);
        }
        // "R" gives the shortest round-tripping digits; re-lay them out by ECMAScript's rules.
        var (digits, exponent) = Decompose(Math.Abs(value).ToString("R", CultureInfo.InvariantCulture));
        var n = exponent + 1;
        var k = digits.Length;
        string text;
        if (k <= n && n <= 21)
        {
            text = digits + new string('0', n - k);
        }
        else if (0 < n && n <= 21)
        {
            text = digits[..n] + "." + digits[n..];
        }
        else if (-6 < n && n <= 0)
        {
            text = "0." + new string('0', -n) + digits;
        }
        else
        {
            var e = n - 1;
            var mantissa = k == 1 ? digits : digits[..1] + "." + digits[1..];
            text = mantissa + "e" + (e < 0 ? "-" : "+") + Math.Abs(e).ToString(CultureInfo.InvariantCulture);
        }
        return value < 0 ? "-" + text : text;
    }

    /// <summary>Splits a positive number's text into significant digits and the exponent of the first one.</summary>
    private static (string Digits, int Exponent) Decompose(string text)
    {
        var exponent = 0;
        var e = text.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(text[(e + 1)..], CultureInfo.InvariantCulture);
            text = text[..e];
        }
        var dot = text.IndexOf('.');
        var integerPart = dot >= 0 ? text[..dot] : text;
        var fraction = dot >= 0 ? text[(dot + 1)..] : "";
        var all = integerPart + fraction;
        var leadingZeros = all.Length - all.TrimStart('0').Length;
        var digits = all.Trim('0');
        exponent += integerPart.Length - 1 - leadingZeros;
        return (digits, exponent);
    }
}
