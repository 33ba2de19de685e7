using BalticAI.Sovereignty.Rego.Values;
using static BalticAI.Sovereignty.Rego.Builtins.Args;

namespace BalticAI.Sovereignty.Rego.Builtins;

/// <summary>Objects, arrays and sets.</summary>
internal static partial class BuiltinRegistry
{
    private static void RegisterCollections()
    {
        Add("object.get", 3, a =>
        {
            var o = Obj(a, 0);
            if (a[1] is ArrayValue path)
            {
                Value cur = o;
                foreach (var k in path.Items)
                {
                    if (Evaluation.Evaluator.Lookup(cur, k) is not { } next || cur is SetValue)
                    {
                        return a[2];
                    }

                    cur = next;
                }

                return cur;
            }

            return o.Get(a[1]) ?? a[2];
        });
        Add("object.keys", 1, a => SetOf(Obj(a, 0).Keys));
        Add("object.remove", 2, a =>
        {
            var o = Obj(a, 0);
            var keys = KeySet(a, 1);
            return new ObjectValue(o.Map.Where(kv => !keys.Contains(kv.Key)).ToDictionary());
        });
        Add("object.filter", 2, a =>
        {
            var o = Obj(a, 0);
            var keys = KeySet(a, 1);
            return new ObjectValue(o.Map.Where(kv => keys.Contains(kv.Key)).ToDictionary());
        });
        Add("object.union", 2, a => Union(Obj(a, 0), Obj(a, 1)));
        Add("object.union_n", 1, a => Arr(a, 0).Items.Aggregate(ObjectValue.Empty, (acc, v) => Union(acc, v as ObjectValue ?? throw BuiltinException.Operand(1, "array of objects", a[0]))));
        Add("object.subset", 2, a => BoolValue.Of(Subset(a[0], a[1])));
        Add("array.concat", 2, a => new ArrayValue([.. Arr(a, 0).Items, .. Arr(a, 1).Items]));
        Add("array.reverse", 1, a => new ArrayValue([.. Arr(a, 0).Items.Reverse()]));
        Add("array.slice", 3, a =>
        {
            var items = Arr(a, 0).Items;
            var start = Math.Max(0, Int(a, 1));
            var stop = Math.Min(items.Length, Int(a, 2));
            return start >= stop ? ArrayValue.Empty : new ArrayValue(items[start..stop]);
        });
        Add("array.flatten", 1, a => new ArrayValue([.. Flatten(Arr(a, 0))]));
        Add("union", 1, a => SetOf(Set(a, 0).Items.SelectMany(s => s is SetValue inner ? inner.Items : throw BuiltinException.Operand(1, "set of sets", a[0]))));
        Add("intersection", 1, a =>
        {
            var sets = Set(a, 0).Items.Select(s => s as SetValue ?? throw BuiltinException.Operand(1, "set of sets", a[0])).ToList();
            if (sets.Count == 0)
            {
                return SetValue.Empty;
            }

            var acc = new HashSet<Value>(sets[0].Items);
            foreach (var s in sets.Skip(1))
            {
                acc.IntersectWith(s.Items);
            }

            return new SetValue(acc);
        });
        Add("json.filter", 2, a => JsonFilter(Obj(a, 0), PathsOf(a, 1)));
        Add("json.remove", 2, a => JsonRemove(Obj(a, 0), PathsOf(a, 1)));
    }

    private static HashSet<Value> KeySet(Value[] a, int i) => a[i] switch
    {
        ArrayValue arr => [.. arr.Items],
        SetValue s => [.. s.Items],
        ObjectValue o => [.. o.Keys],
        _ => throw BuiltinException.Operand(i + 1, "one of {object, set, array}", a[i]),
    };

    private static ObjectValue Union(ObjectValue a, ObjectValue b)
    {
        var map = new Dictionary<Value, Value>(a.Map);
        foreach (var (k, v) in b.Map)
        {
            map[k] = map.TryGetValue(k, out var existing) && existing is ObjectValue eo && v is ObjectValue vo ? Union(eo, vo) : v;
        }

        return new ObjectValue(map);
    }

    private static bool Subset(Value super, Value sub)
    {
        switch (super, sub)
        {
            case (ObjectValue so, ObjectValue bo):
                return bo.Map.All(kv => so.Get(kv.Key) is { } v && (v is ObjectValue && kv.Value is ObjectValue ? Subset(v, kv.Value) : v.Equals(kv.Value)));
            case (SetValue ss, SetValue bs):
                return bs.Items.All(ss.Contains);
            case (ArrayValue sa, ArrayValue ba):
                for (var i = 0; i + ba.Count <= sa.Count; i++)
                {
                    if (sa.Items.AsSpan(i, ba.Count).SequenceEqual(ba.Items))
                    {
                        return true;
                    }
                }

                return ba.Count == 0;
            case (SetValue ss2, ArrayValue ba2):
                return ba2.Items.All(ss2.Contains);
            default:
                throw BuiltinException.Operand(1, "one of {object, set, array}", super);
        }
    }

    private static IEnumerable<Value> Flatten(ArrayValue a)
    {
        foreach (var v in a.Items)
        {
            if (v is ArrayValue inner)
            {
                foreach (var x in inner.Items)
                {
                    yield return x;
                }
            }
            else
            {
                yield return v;
            }
        }
    }

    /// <summary>
    /// OPA's parsePath (v1/topdown/json.go): "" is the empty path, which selects nothing; otherwise leading
    /// slashes are dropped and the rest split on '/', so "a/" is ["a", ""], not ["a"].
    /// </summary>
    private static List<Value[]> PathsOf(Value[] a, int i) =>
        [.. Collection(a, i, "one of {array, set}").Select(p => p switch
        {
            StringValue { Value.Length: 0 } => [],
            StringValue s => s.Value.TrimStart('/').Split('/').Select(x => (Value)S(x.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))).ToArray(),
            ArrayValue arr => arr.Items,
            _ => throw BuiltinException.Operand(i + 1, "set or array of strings or arrays", a[i]),
        })];

    /// <summary>
    /// OPA's filterObject (v1/ast/term.go): keeps the object keys, array elements (index as a string) and set
    /// members a path goes through, the whole value where a path ends.
    /// </summary>
    private static Value JsonFilter(Value v, List<Value[]> paths)
    {
        var byFirst = paths.Where(p => p.Length > 0).GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.ToList());
        Value? Kept(Value key, Value child) =>
            !byFirst.TryGetValue(key, out var group) ? null
            : group.Any(p => p.Length == 1) ? child
            : JsonFilter(child, [.. group.Select(p => p[1..])]);

        switch (v)
        {
            case ObjectValue o:
                var map = new Dictionary<Value, Value>();
                foreach (var (k, child) in o.Map)
                {
                    if (Kept(k, child) is { } kept)
                    {
                        map[k] = kept;
                    }
                }

                return new ObjectValue(map);
            case ArrayValue arr:
                return new ArrayValue([.. arr.Items.Select((child, i) => Kept(S(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), child)).OfType<Value>()]);
            case SetValue set:
                return new SetValue([.. set.Items.Select(e => Kept(e, e)).OfType<Value>()]);
            default:
                return v;
        }
    }

    /// <summary>
    /// OPA's jsonRemove (v1/topdown/json.go): objects lose the keys a path ends on, arrays the elements whose
    /// index (as a string, "a/1") a path ends on, closing the gap, and sets the elements a path names.
    /// </summary>
    private static Value JsonRemove(Value v, List<Value[]> paths)
    {
        var byFirst = paths.Where(p => p.Length > 0).GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.ToList());
        Value? Rest(Value key, Value child) =>
            !byFirst.TryGetValue(key, out var group) ? child
            : group.Any(p => p.Length == 1) ? null
            : JsonRemove(child, [.. group.Select(p => p[1..])]);

        switch (v)
        {
            case ObjectValue o:
                var map = new Dictionary<Value, Value>(o.Count);
                foreach (var (k, child) in o.Map)
                {
                    if (Rest(k, child) is { } kept)
                    {
                        map[k] = kept;
                    }
                }

                return new ObjectValue(map);
            case ArrayValue arr:
                return new ArrayValue([.. arr.Items.Select((child, i) => Rest(S(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), child)).OfType<Value>()]);
            case SetValue set:
                return new SetValue([.. set.Items.Select(e => Rest(e, e)).OfType<Value>()]);
            default:
                return v;
        }
    }
}
