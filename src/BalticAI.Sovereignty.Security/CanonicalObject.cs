using System.Buffers;
using System.Text;
using System.Text.Json;

namespace BalticAI.Sovereignty.Security;

/// <summary>
/// Adds a member to the RFC 8785 canonical form of an object without canonicalising the object again.
/// The feed sealer signs an envelope's canonical bytes and then stores those bytes with the signature
/// in them; serialising the 2-3 kB envelope a second time for that was half of its canonicalisation work.
/// </summary>
public static class CanonicalObject
{
    private static readonly SearchValues<byte> Structural = SearchValues.Create("\"{}[],"u8);

    /// <summary>
    /// The canonical form of the object with the string member <paramref name="name"/> added where RFC 8785
    /// orders it (by UTF-16 code units). Name and value must need no escaping, and the object must not have
    /// that member yet.
    /// </summary>
    public static byte[] AddString(ReadOnlySpan<byte> canonicalObject, string name, string value)
    {
        if (canonicalObject.Length < 2 || canonicalObject[0] != '{' || canonicalObject[^1] != '}')
        {
            throw new ArgumentException("not the canonical form of a JSON object", nameof(canonicalObject));
        }
        RequirePlain(name, nameof(name));
        RequirePlain(value, nameof(value));
        // The member is written straight into the result, and names are compared without decoding them
        // when both are ASCII: a string per member name was most of what adding `jws` allocated.
        var member = new Member(name, value);
        var asciiName = Ascii.IsValid(name);
        if (canonicalObject.Length == 2)
        {
            return Join(canonicalObject[..1], member, commaBefore: false, commaAfter: false, canonicalObject[1..]);
        }
        var position = 1;
        while (true)
        {
            var keyEnd = EndOfString(canonicalObject, position);
            var order = CompareKey(canonicalObject[position..(keyEnd + 1)], name, asciiName);
            if (order == 0)
            {
                throw new ArgumentException($"the object already has a member \"{name}\"", nameof(name));
            }
            if (order > 0)
            {
                return Join(canonicalObject[..position], member, commaBefore: false, commaAfter: true, canonicalObject[position..]);
            }
            position = EndOfValue(canonicalObject, keyEnd + 2);
            if (position == canonicalObject.Length - 1)
            {
                return Join(canonicalObject[..position], member, commaBefore: true, commaAfter: false, canonicalObject[position..]);
            }
            position++;
        }
    }

    private readonly record struct Member(string Name, string Value)
    {
        /// <summary>`"name":"value"` in UTF-8.</summary>
        public int Length => Encoding.UTF8.GetByteCount(Name) + Encoding.UTF8.GetByteCount(Value) + 5;

        public void WriteTo(Span<byte> span)
        {
            span[0] = (byte)'"';
            var i = 1 + Encoding.UTF8.GetBytes(Name, span[1..]);
            "\":\""u8.CopyTo(span[i..]);
            i += 3 + Encoding.UTF8.GetBytes(Value, span[(i + 3)..]);
            span[i] = (byte)'"';
        }
    }

    private static byte[] Join(ReadOnlySpan<byte> before, Member member, bool commaBefore, bool commaAfter, ReadOnlySpan<byte> after)
    {
        var memberLength = member.Length;
        var joined = new byte[before.Length + memberLength + (commaBefore || commaAfter ? 1 : 0) + after.Length];
        var span = joined.AsSpan();
        before.CopyTo(span);
        span = span[before.Length..];
        if (commaBefore)
        {
            span[0] = (byte)',';
            span = span[1..];
        }
        member.WriteTo(span);
        span = span[memberLength..];
        if (commaAfter)
        {
            span[0] = (byte)',';
            span = span[1..];
        }
        after.CopyTo(span);
        return joined;
    }

    private static void RequirePlain(string text, string parameter)
    {
        if (text.AsSpan().ContainsAny(CanonicalJson.NeedsEscape))
        {
            throw new ArgumentException("must need no escaping in JSON", parameter);
        }
    }

    /// <summary>
    /// The ordinal order of a quoted member name against <paramref name="name"/>. An ASCII name without
    /// escapes is its UTF-16 code units byte for byte, so it is compared as it stands; others are decoded.
    /// </summary>
    private static int CompareKey(ReadOnlySpan<byte> quoted, string name, bool asciiName)
    {
        var raw = quoted[1..^1];
        if (!asciiName || raw.IndexOf((byte)'\\') >= 0 || !Ascii.IsValid(raw))
        {
            return string.CompareOrdinal(Key(quoted), name);
        }
        var common = Math.Min(raw.Length, name.Length);
        for (var i = 0; i < common; i++)
        {
            if (raw[i] != name[i])
            {
                return raw[i] - name[i];
            }
        }
        return raw.Length - name.Length;
    }

    /// <summary>A member name as a string: plain names are read directly, escaped ones through the JSON reader.</summary>
    private static string Key(ReadOnlySpan<byte> quoted) =>
        quoted.IndexOf((byte)'\\') < 0
            ? Encoding.UTF8.GetString(quoted[1..^1])
            : JsonSerializer.Deserialize<string>(quoted)!;

    /// <summary>Index of the quote that closes the string opening at <paramref name="start"/>.</summary>
    private static int EndOfString(ReadOnlySpan<byte> json, int start)
    {
        var i = start + 1;
        while (true)
        {
            var next = json[i..].IndexOfAny((byte)'"', (byte)'\\');
            if (next < 0)
            {
                throw new ArgumentException("unterminated string in canonical JSON");
            }
            i += next;
            if (json[i] == '"')
            {
                return i;
            }
            i += 2;
        }
    }

    /// <summary>Index just after the value starting at <paramref name="start"/> (canonical JSON has no whitespace).</summary>
    private static int EndOfValue(ReadOnlySpan<byte> json, int start)
    {
        var depth = 0;
        var i = start;
        while (true)
        {
            var next = json[i..].IndexOfAny(Structural);
            if (next < 0)
            {
                throw new ArgumentException("truncated canonical JSON");
            }
            i += next;
            switch (json[i])
            {
                case (byte)'"':
                    i = EndOfString(json, i);
                    if (depth == 0)
                    {
                        return i + 1;
                    }
                    break;
                case (byte)'{' or (byte)'[':
                    depth++;
                    break;
                case (byte)'}' or (byte)']':
                    if (depth == 0)
                    {
                        return i;
                    }
                    depth--;
                    if (depth == 0)
                    {
                        return i + 1;
                    }
                    break;
                case (byte)',' when depth == 0:
                    return i;
            }
            i++;
        }
    }
}
