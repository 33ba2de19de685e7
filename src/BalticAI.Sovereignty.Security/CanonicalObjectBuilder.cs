using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace BalticAI.Sovereignty.Security;

/// <summary>
/// Writes the RFC 8785 canonical form of an object from members whose values are already canonical, so
/// a part shared by several objects is canonicalised once. The feed sealer puts one event's data into
/// the envelopes of every feed it belongs to; building and canonicalising a node tree per envelope was
/// most of its work. Values given as bytes are copied as they are: they must be canonical JSON.
/// Strings, integers, elements and nested builders are kept as given and written straight into the one
/// buffer of <see cref="ToArray"/>, rather than each into an array of its own first.
/// </summary>
public sealed class CanonicalObjectBuilder(int capacity = 8)
{
    private readonly List<Member> _members = new(capacity);

    /// <summary>Adds a member whose value is canonical JSON (an object, array, number, string or literal).</summary>
    public CanonicalObjectBuilder Add(string name, ReadOnlyMemory<byte> canonicalValue)
    {
        if (canonicalValue.IsEmpty)
        {
            throw new ArgumentException("a JSON value has at least one byte", nameof(canonicalValue));
        }
        _members.Add(new(name, Kind.Canonical) { Canonical = canonicalValue });
        return this;
    }

    /// <summary>Adds a string member, or a null one.</summary>
    public CanonicalObjectBuilder AddString(string name, string? value)
    {
        _members.Add(value is null ? new(name, Kind.Null) : new(name, Kind.String) { Text = value });
        return this;
    }

    /// <summary>
    /// Adds an object member built by another builder, or a null one. It is written when this builder is,
    /// so it must not change in between.
    /// </summary>
    public CanonicalObjectBuilder AddObject(string name, CanonicalObjectBuilder? value)
    {
        _members.Add(value is null ? new(name, Kind.Null) : new(name, Kind.Object) { Object = value });
        return this;
    }

    public CanonicalObjectBuilder AddInteger(string name, long value)
    {
        _members.Add(new(name, Kind.Integer) { Integer = value });
        return this;
    }

    /// <summary>
    /// Adds a member whose value is canonicalised from a parsed element when this builder is written, so
    /// the element's document must stay undisposed until then.
    /// </summary>
    public CanonicalObjectBuilder AddCanonicalised(string name, JsonElement value)
    {
        _members.Add(new(name, Kind.Element) { Element = value });
        return this;
    }

    /// <summary>The canonical object: members in UTF-16 code unit order of their names.</summary>
    public byte[] ToArray()
    {
        var output = ScratchWriter.Rent();
        WriteTo(output);
        return ScratchWriter.ToArrayAndReturn(output);
    }

    /// <summary>The canonical object in a pooled array, for bytes read only until disposed.</summary>
    public PooledBytes ToPooled()
    {
        var output = ScratchWriter.Rent();
        WriteTo(output);
        var bytes = new PooledBytes(output.WrittenSpan);
        ScratchWriter.Return(output);
        return bytes;
    }

    private void WriteTo(ArrayBufferWriter<byte> output)
    {
        // Sorted in place: the order members were added in means nothing once written.
        var members = CollectionsMarshal.AsSpan(_members);
        members.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        for (var i = 1; i < members.Length; i++)
        {
            if (members[i].Name == members[i - 1].Name)
            {
                throw new InvalidOperationException($"the object has two members \"{members[i].Name}\"");
            }
        }
        CanonicalJson.Byte(output, (byte)'{');
        for (var i = 0; i < members.Length; i++)
        {
            if (i > 0)
            {
                CanonicalJson.Byte(output, (byte)',');
            }
            var member = members[i];
            CanonicalJson.WriteString(output, member.Name);
            CanonicalJson.Byte(output, (byte)':');
            switch (member.Kind)
            {
                case Kind.Canonical:
                    output.Write(member.Canonical.Span);
                    break;
                case Kind.String:
                    CanonicalJson.WriteString(output, member.Text!);
                    break;
                case Kind.Integer:
                    CanonicalJson.WriteInteger(output, member.Integer);
                    break;
                case Kind.Object:
                    member.Object!.WriteTo(output);
                    break;
                case Kind.Element:
                    CanonicalJson.Write(output, member.Element);
                    break;
                default:
                    output.Write("null"u8);
                    break;
            }
        }
        CanonicalJson.Byte(output, (byte)'}');
    }

    private enum Kind
    {
        Null,
        Canonical,
        String,
        Integer,
        Object,
        Element,
    }

    private readonly record struct Member(string Name, Kind Kind)
    {
        public ReadOnlyMemory<byte> Canonical { get; init; }
        public string? Text { get; init; }
        public long Integer { get; init; }
        public CanonicalObjectBuilder? Object { get; init; }
        public JsonElement Element { get; init; }
    }
}
