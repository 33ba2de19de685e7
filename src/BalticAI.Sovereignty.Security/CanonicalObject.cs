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
        var member = Encoding.UTF8.GetBytes($"\"{name}\":\"{value}\"");
        if (canonicalObject.Length == 2)
        {
            return Join(canonicalObject[..1], member, [], canonicalObject[1..]);
        }
        var position = 1;
        while (true)
        {
            var keyEnd = EndOfString(canonicalObject, position);
            var order = string.CompareOrdinal(Key(canonicalObject[position..(keyEnd + 1)]), name);
            if (order == 0)
            {
                throw new ArgumentException($"the object already has a member \"{name}\"", nameof(name));
            }
            if (order > 0)
            {
                return Join(canonicalObject[..position], member, ","u8, canonicalObject[position..]);
            }
            position = EndOfValue(canonicalObject, keyEnd + 2);
            if (position == canonicalObject.Length - 1)
            {
                return Join(canonicalObject[..position], ","u8, member, canonicalObject[position..]);
            }
            position++;
        }
    }

    private static byte[] Join(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c, ReadOnlySpan<byte> d)
    {
        var joined = new byte[a.Length + b.Length + c.Length + d.Length];
        a.CopyTo(joined);
        b.CopyTo(joined.AsSpan(a.Length));
        c.CopyTo(joined.AsSpan(a.Length + b.Length));
        d.CopyTo(joined.AsSpan(a.Length + b.Length + c.Length));
        return joined;
    }

    private static void RequirePlain(string text, string parameter)
    {
        if (text.AsSpan().ContainsAny(CanonicalJson.NeedsEscape))
        {
            throw new ArgumentException("must need no escaping in JSON", parameter);
        }
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
