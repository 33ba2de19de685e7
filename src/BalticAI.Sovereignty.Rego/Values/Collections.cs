namespace BalticAI.Sovereignty.Rego.Values;

/// <summary>An object keyed by any value. Iteration is in key order, as OPA iterates objects.</summary>
internal sealed class ObjectValue : Value
{
    public static readonly ObjectValue Empty = new(new Dictionary<Value, Value>());
    private readonly Dictionary<Value, Value> map;
    private Value[]? sortedKeys;
    private int hash;

    public ObjectValue(Dictionary<Value, Value> map) => this.map = map;

    public int Count => map.Count;

    public override ValueKind Kind => ValueKind.Object;

    public IReadOnlyDictionary<Value, Value> Map => map;

    /// <summary>Keys in OPA order; computed once, published with a benign race (same result on every thread).</summary>
    public Value[] Keys
    {
        get
        {
            var keys = sortedKeys;
            if (keys == null)
            {
                keys = [.. map.Keys];
                Array.Sort(keys);
                sortedKeys = keys;
            }

            return keys;
        }
    }

    public Value? Get(Value key) => map.TryGetValue(key, out var v) ? v : null;

    public Value? Get(string key) => map.TryGetValue(new StringValue(key), out var v) ? v : null;

    public override int CompareTo(Value? other)
    {
        if (other is not ObjectValue o)
        {
            return CompareKinds(other!);
        }

        var a = Keys;
        var b = o.Keys;
        var n = Math.Min(a.Length, b.Length);
        for (var i = 0; i < n; i++)
        {
            var c = a[i].CompareTo(b[i]);
            if (c != 0)
            {
                return c;
            }

            c = map[a[i]].CompareTo(o.map[b[i]]);
            if (c != 0)
            {
                return c;
            }
        }

        return a.Length.CompareTo(b.Length);
    }

    public override bool Equals(Value? other)
    {
        if (other is not ObjectValue o || o.map.Count != map.Count)
        {
            return false;
        }

        foreach (var (k, v) in map)
        {
            if (!o.map.TryGetValue(k, out var ov) || !v.Equals(ov))
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
            var h = 17;
            foreach (var (k, v) in map)
            {
                h += HashCode.Combine(k.GetHashCode(), v.GetHashCode());
            }

            hash = h | 1;
        }

        return hash;
    }
}

/// <summary>A set of values. Iteration is in sorted order, as OPA iterates sets.</summary>
internal sealed class SetValue : Value
{
    public static readonly SetValue Empty = new(new HashSet<Value>());
    private readonly HashSet<Value> items;
    private Value[]? sorted;
    private int hash;

    public SetValue(HashSet<Value> items) => this.items = items;

    public int Count => items.Count;

    public override ValueKind Kind => ValueKind.Set;

    public IReadOnlySet<Value> Items => items;

    public Value[] Sorted
    {
        get
        {
            var s = sorted;
            if (s == null)
            {
                s = [.. items];
                Array.Sort(s);
                sorted = s;
            }

            return s;
        }
    }

    public bool Contains(Value v) => items.Contains(v);

    public override int CompareTo(Value? other) =>
        other is SetValue s ? ArrayValue.CompareSequences(Sorted, s.Sorted) : CompareKinds(other!);

    public override bool Equals(Value? other) => other is SetValue s && s.items.Count == items.Count && s.items.SetEquals(items);

    public override int GetHashCode()
    {
        if (hash == 0)
        {
            var h = 31;
            foreach (var v in items)
            {
                h += v.GetHashCode();
            }

            hash = h | 1;
        }

        return hash;
    }
}
