namespace BalticAI.Sovereignty.Rego.Values;

/// <summary>Kinds in OPA's total sort order (null &lt; boolean &lt; number &lt; string &lt; array &lt; object &lt; set).</summary>
internal enum ValueKind { Null = 0, Boolean = 1, Number = 2, String = 3, Array = 4, Object = 5, Set = 6 }

/// <summary>An immutable Rego value. Equality and ordering follow OPA so values can key sets and objects.</summary>
internal abstract class Value : IComparable<Value>, IEquatable<Value>
{
    public abstract ValueKind Kind { get; }

    public abstract int CompareTo(Value? other);

    public abstract bool Equals(Value? other);

    public override bool Equals(object? obj) => obj is Value v && Equals(v);

    public abstract override int GetHashCode();

    /// <summary>OPA's type name as used in error messages and type_name.</summary>
    public string TypeName => Kind switch
    {
        ValueKind.Null => "null",
        ValueKind.Boolean => "boolean",
        ValueKind.Number => "number",
        ValueKind.String => "string",
        ValueKind.Array => "array",
        ValueKind.Object => "object",
        _ => "set",
    };

    public override string ToString() => ValueFormatter.ToRego(this);

    protected int CompareKinds(Value other) => ((int)Kind).CompareTo((int)other.Kind);
}

internal sealed class NullValue : Value
{
    public static readonly NullValue Instance = new();

    private NullValue()
    {
    }

    public override ValueKind Kind => ValueKind.Null;

    public override int CompareTo(Value? other) => other is NullValue ? 0 : CompareKinds(other!);

    public override bool Equals(Value? other) => other is NullValue;

    public override int GetHashCode() => 7;
}

internal sealed class BoolValue : Value
{
    public static readonly BoolValue True = new(true);
    public static readonly BoolValue False = new(false);

    private BoolValue(bool value) => Value = value;

    public bool Value { get; }

    public static BoolValue Of(bool b) => b ? True : False;

    public override ValueKind Kind => ValueKind.Boolean;

    public override int CompareTo(Value? other) => other is BoolValue b ? Value.CompareTo(b.Value) : CompareKinds(other!);

    public override bool Equals(Value? other) => other is BoolValue b && b.Value == Value;

    public override int GetHashCode() => Value ? 1 : 2;
}

internal sealed class StringValue : Value
{
    public static readonly StringValue Empty = new(string.Empty);

    public StringValue(string value) => Value = value;

    public string Value { get; }

    public override ValueKind Kind => ValueKind.String;

    public override int CompareTo(Value? other) =>
        other is StringValue s ? Math.Sign(string.CompareOrdinal(Value, s.Value)) : CompareKinds(other!);

    public override bool Equals(Value? other) => other is StringValue s && s.Value == Value;

    public override int GetHashCode() => Value.GetHashCode(StringComparison.Ordinal);
}

internal sealed class ArrayValue : Value
{
    public static readonly ArrayValue Empty = new([]);
    private int hash;

    public ArrayValue(Value[] items) => Items = items;

    public Value[] Items { get; }

    public int Count => Items.Length;

    public override ValueKind Kind => ValueKind.Array;

    public override int CompareTo(Value? other)
    {
        if (other is not ArrayValue a)
        {
            return CompareKinds(other!);
        }

        return CompareSequences(Items, a.Items);
    }

    internal static int CompareSequences(IReadOnlyList<Value> x, IReadOnlyList<Value> y)
    {
        var n = Math.Min(x.Count, y.Count);
        for (var i = 0; i < n; i++)
        {
            var c = x[i].CompareTo(y[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return x.Count.CompareTo(y.Count);
    }

    public override bool Equals(Value? other)
    {
        if (other is not ArrayValue a || a.Items.Length != Items.Length)
        {
            return false;
        }

        for (var i = 0; i < Items.Length; i++)
        {
            if (!Items[i].Equals(a.Items[i]))
            {
                return false;
            }
        }

        return true;
    }

    public override int GetHashCode()
    {
        if (hash == 0)
        {
            var h = new HashCode();
            foreach (var item in Items)
            {
                h.Add(item.GetHashCode());
            }

            hash = h.ToHashCode() | 1;
        }

        return hash;
    }
}
