using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using Ascii7 = System.Text.Ascii;

namespace BalticAI.Sovereignty.Security;

/// <summary>RFC 8785 from parsed JSON: source text is copied where it is already canonical.</summary>
public static partial class CanonicalJson
{
    internal static void Write(ArrayBufferWriter<byte> output, JsonElement element)
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
        var rented = ArrayPool<Member>.Shared.Rent(element.GetPropertyCount());
        var count = 0;
        foreach (var property in element.EnumerateObject())
        {
            rented[count++] = Member.Of(property);
        }
        var members = rented.AsSpan(0, count);
        members.Sort(Member.Compare);
        Byte(output, (byte)'{');
        for (var i = 0; i < members.Length; i++)
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
        // Cleared so that the pool holds no documents.
        members.Clear();
        ArrayPool<Member>.Shared.Return(rented);
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
}
