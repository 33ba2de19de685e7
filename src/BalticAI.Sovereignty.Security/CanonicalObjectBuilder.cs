using System.Buffers;
using System.Text;

namespace BalticAI.Sovereignty.Security;

/// <summary>
/// Writes the RFC 8785 canonical form of an object from members whose values are already canonical, so
/// a part shared by several objects is canonicalised once. The feed sealer puts one event's data into
/// the envelopes of every feed it belongs to; building and canonicalising a node tree per envelope was
/// most of its work. Values given as bytes are copied as they are: they must be canonical JSON.
/// </summary>
public sealed class CanonicalObjectBuilder(int capacity = 8)
{
    private static readonly byte[] Null = "null"u8.ToArray();
    private readonly List<KeyValuePair<string, ReadOnlyMemory<byte>>> _members = new(capacity);

    /// <summary>Adds a member whose value is canonical JSON (an object, array, number, string or literal).</summary>
    public CanonicalObjectBuilder Add(string name, ReadOnlyMemory<byte> canonicalValue)
    {
        if (canonicalValue.IsEmpty)
        {
            throw new ArgumentException("a JSON value has at least one byte", nameof(canonicalValue));
        }
        _members.Add(new(name, canonicalValue));
        return this;
    }

    /// <summary>Adds a string member, or a null one.</summary>
    public CanonicalObjectBuilder AddString(string name, string? value)
    {
        if (value is null)
        {
            return Add(name, Null);
        }
        var output = new ArrayBufferWriter<byte>(value.Length + 2);
        CanonicalJson.WriteString(output, value);
        return Add(name, output.WrittenMemory);
    }

    /// <summary>Adds an object member built by another builder, or a null one.</summary>
    public CanonicalObjectBuilder AddObject(string name, CanonicalObjectBuilder? value) =>
        Add(name, value is null ? Null : value.ToArray());

    public CanonicalObjectBuilder AddInteger(string name, long value) =>
        Add(name, Encoding.ASCII.GetBytes(CanonicalJson.FormatNumber(value)));

    /// <summary>The canonical object: members in UTF-16 code unit order of their names.</summary>
    public byte[] ToArray()
    {
        var members = _members.ToArray();
        Array.Sort(members, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var size = 2;
        for (var i = 0; i < members.Length; i++)
        {
            if (i > 0 && members[i].Key == members[i - 1].Key)
            {
                throw new InvalidOperationException($"the object has two members \"{members[i].Key}\"");
            }
            size += members[i].Key.Length + members[i].Value.Length + 4;
        }
        var output = new ArrayBufferWriter<byte>(size);
        CanonicalJson.Byte(output, (byte)'{');
        for (var i = 0; i < members.Length; i++)
        {
            if (i > 0)
            {
                CanonicalJson.Byte(output, (byte)',');
            }
            CanonicalJson.WriteString(output, members[i].Key);
            CanonicalJson.Byte(output, (byte)':');
            output.Write(members[i].Value.Span);
        }
        CanonicalJson.Byte(output, (byte)'}');
        return output.WrittenSpan.ToArray();
    }
}
