using BalticAI.Sovereignty.Rego.Values;

namespace BalticAI.Sovereignty.Rego.Compilation.Typing;

/// <summary>
/// What the checker knows of a value's shape. It only ever widens: a type that is unsure says Any, so a policy is
/// refused for a reference no value of the type can have, never for one it merely might not.
/// </summary>
internal abstract record RegoType
{
    public static readonly RegoType Any = new AnyType();

    /// <summary>The type of what `x[key]` gives for x of this type, or null when no value of it has that key.</summary>
    public abstract RegoType? Lookup(Value? key);

    /// <summary>The type of the elements `some v in x` iterates.</summary>
    public abstract RegoType Elements { get; }

    /// <summary>How a message names it: "an object", "a string", ...</summary>
    public abstract string Describe();

    public static RegoType Union(IEnumerable<RegoType> types)
    {
        var members = new List<RegoType>();
        foreach (var t in types)
        {
            if (t is AnyType)
            {
                return Any;
            }

            foreach (var m in t is UnionType u ? u.Members : [t])
            {
                if (!members.Contains(m))
                {
                    members.Add(m);
                }
            }
        }

        return members.Count switch
        {
            0 => Any,
            1 => members[0],
            _ => new UnionType(members),
        };
    }

    public static RegoType Of(Value v) => v switch
    {
        ObjectValue o => new ObjectType(
            o.Map.Where(kv => kv.Key is StringValue).ToDictionary(kv => ((StringValue)kv.Key).Value, kv => Of(kv.Value), StringComparer.Ordinal),
            o.Map.Keys.Any(k => k is not StringValue) ? Any : null),
        ArrayValue a => new ArrayType(a.Count == 0 ? Any : Union(a.Items.Select(Of))),
        SetValue s => new SetType(s.Count == 0 ? Any : Union(s.Items.Select(Of))),
        _ => new ScalarType(v.TypeName),
    };
}

internal sealed record AnyType : RegoType
{
    public override RegoType? Lookup(Value? key) => Any;

    public override RegoType Elements => Any;

    public override string Describe() => "any value";
}

/// <summary>null, boolean, number or string: nothing can be looked up in it.</summary>
internal sealed record ScalarType(string Name) : RegoType
{
    public override RegoType? Lookup(Value? key) => null;

    public override RegoType Elements => Any;

    public override string Describe() => Name is "array" or "object" ? "an " + Name : "a " + Name;
}

internal sealed record ArrayType(RegoType Items) : RegoType
{
    public override RegoType? Lookup(Value? key) => key is null or NumberValue ? Items : null;

    public override RegoType Elements => Items;

    public override string Describe() => "an array";
}

internal sealed record SetType(RegoType Items) : RegoType
{
    public override RegoType? Lookup(Value? key) => Items;

    public override RegoType Elements => Items;

    public override string Describe() => "a set";
}

/// <summary>A scalar that is one of the values a schema's `enum` or `const` lists.</summary>
internal sealed record EnumType(IReadOnlyList<Value> Values) : RegoType
{
    public override RegoType? Lookup(Value? key) => null;

    public override RegoType Elements => Any;

    public override string Describe() =>
        Values.Count == 1 ? $"always {Values[0]}" : $"one of {string.Join(", ", Values.Take(8))}{(Values.Count > 8 ? ", ..." : "")}";

    public bool Equals(EnumType? other) => other is not null && Values.SequenceEqual(other.Values);

    public override int GetHashCode() => Values.Count;
}

/// <summary>An object with known keys; <paramref name="Dynamic"/> types any other key, null when there are none.</summary>
internal sealed record ObjectType(IReadOnlyDictionary<string, RegoType> Properties, RegoType? Dynamic) : RegoType
{
    /// <summary>Read from the input schema, not from a literal in the policy (not part of equality).</summary>
    public bool FromSchema { get; init; }

    /// <summary>Whether the type is, or may be, an object the input schema describes.</summary>
    public static bool Described(RegoType type) => type is ObjectType { FromSchema: true } || (type is UnionType u && u.Members.Any(Described));

    public override RegoType? Lookup(Value? key) => key switch
    {
        null => Properties.Count == 0 ? Dynamic : Union(Dynamic is null ? Properties.Values : [.. Properties.Values, Dynamic]),
        StringValue s when Properties.TryGetValue(s.Value, out var t) => t,
        _ => Dynamic,
    };

    public override RegoType Elements => Lookup(null) ?? Any;

    public override string Describe() => "an object";

    public bool Equals(ObjectType? other) =>
        other is not null && Equals(Dynamic, other.Dynamic) && Properties.Count == other.Properties.Count &&
        Properties.All(kv => other.Properties.TryGetValue(kv.Key, out var t) && t.Equals(kv.Value));

    public override int GetHashCode() => HashCode.Combine(Properties.Count, Dynamic);
}

/// <summary>One of several types: a key is there when any member has it.</summary>
internal sealed record UnionType(IReadOnlyList<RegoType> Members) : RegoType
{
    public override RegoType? Lookup(Value? key)
    {
        var found = Members.Select(m => m.Lookup(key)).OfType<RegoType>().ToList();
        return found.Count == 0 ? null : Union(found);
    }

    public override RegoType Elements => Union(Members.Select(m => m.Elements));

    public override string Describe() => string.Join(" or ", Members.Select(m => m.Describe()).Distinct());

    public bool Equals(UnionType? other) =>
        other is not null && Members.Count == other.Members.Count && Members.All(other.Members.Contains);

    public override int GetHashCode() => Members.Count;
}
