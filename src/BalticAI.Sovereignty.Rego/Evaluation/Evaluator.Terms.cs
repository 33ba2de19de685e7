using BalticAI.Sovereignty.Rego.Builtins;
using BalticAI.Sovereignty.Rego.Syntax;
using BalticAI.Sovereignty.Rego.Values;

namespace BalticAI.Sovereignty.Rego.Evaluation;

/// <summary>Terms: values, references, calls and comprehensions.</summary>
internal sealed partial class Evaluator
{
    /// <summary>Value of a term that needs no enumeration (scalars, bound variables, literals of those); else null.</summary>
    private Value? TryGround(Term t, Value?[] f)
    {
        switch (t)
        {
            case ScalarTerm s:
                return s.Value;
            case VarTerm v:
                return v.Slot >= 0 ? f[v.Slot] : null;
            case ArrayTerm a:
                var items = new Value[a.Items.Length];
                for (var i = 0; i < items.Length; i++)
                {
                    if (TryGround(a.Items[i], f) is not { } item)
                    {
                        return null;
                    }

                    items[i] = item;
                }

                return new ArrayValue(items);
            default:
                return null;
        }
    }

    internal bool EvalTerm(Term t, Value?[] f, Func<Value, bool> k)
    {
        if (t is not ScalarTerm && TryDirect(t, f, out var direct))
        {
            return direct != null && k(direct);
        }

        switch (t)
        {
            case ScalarTerm s:
                return k(s.Value);
            case VarTerm v:
                if (v.Slot >= 0)
                {
                    return f[v.Slot] is { } bound ? k(bound) : throw new RegoException(RegoErrorKind.UnsafeVarError, $"var {v.Name} is unsafe", v.Loc.File, v.Loc.Line, v.Loc.Column);
                }

                if (v.Name == "input")
                {
                    return input != null && k(input);
                }

                return DataRef(policy.Root, policy.Data, [], 0, dataOverrides.Count > 0 ? [] : null, f, k);
            case RefTerm r:
                return EvalRef(r, f, k);
            case ArrayTerm or SetTerm or ObjectTerm:
                return EvalCollection(t, f, k);
            case CallTerm c:
                return EvalCall(c, f, c.Args.Length, k);
            case ComprehensionTerm ct:
                return k(EvalComprehension(ct, f));
            default:
                return false;
        }
    }

    private bool EvalCollection(Term t, Value?[] f, Func<Value, bool> k)
    {
        switch (t)
        {
            case ArrayTerm a:
                return EvalItems(a.Items, 0, new Value[a.Items.Length], f, items => k(new ArrayValue(items)));
            case SetTerm s:
                return EvalItems(s.Items, 0, new Value[s.Items.Length], f, items => k(new SetValue([.. items])));
            case ObjectTerm o:
                var flat = new Term[o.Items.Length * 2];
                for (var i = 0; i < o.Items.Length; i++)
                {
                    flat[2 * i] = o.Items[i].Key;
                    flat[(2 * i) + 1] = o.Items[i].Value;
                }

                return EvalItems(flat, 0, new Value[flat.Length], f, items =>
                {
                    var map = new Dictionary<Value, Value>(items.Length / 2);
                    for (var i = 0; i < items.Length; i += 2)
                    {
                        map[items[i]] = items[i + 1];
                    }

                    return k(new ObjectValue(map));
                });
            default:
                return false;
        }
    }

    /// <summary>Evaluates terms left to right into a fresh array per solution.</summary>
    private bool EvalItems(Term[] terms, int i, Value[] acc, Value?[] f, Func<Value[], bool> k)
    {
        for (; i < terms.Length; i++)
        {
            if (TryGround(terms[i], f) is { } g)
            {
                acc[i] = g;
                continue;
            }

            return EvalItemThenRest(terms, i, acc, f, k);
        }

        return k(acc);
    }

    private bool EvalItemThenRest(Term[] terms, int i, Value[] acc, Value?[] f, Func<Value[], bool> k) =>
        EvalTerm(terms[i], f, v =>
        {
            var copy = (Value[])acc.Clone();
            copy[i] = v;
            return EvalItems(terms, i + 1, copy, f, k);
        });

    private bool EvalRef(RefTerm r, Value?[] f, Func<Value, bool> k)
    {
        if (r.Head is VarTerm { Slot: < 0 } root)
        {
            if (root.Name == "data")
            {
                return DataRef(policy.Root, policy.Data, r.Path, 0, dataOverrides.Count > 0 ? [] : null, f, k);
            }

            return input != null && WalkPath(input, r.Path, 0, f, k);
        }

        return EvalTerm(r.Head, f, head => WalkPath(head, r.Path, 0, f, k));
    }

    /// <summary>Follows a reference path into a value; unbound variables in the path enumerate keys.</summary>
    internal bool WalkPath(Value cur, Term[] path, int i, Value?[] f, Func<Value, bool> k, bool baseData = false)
    {
        if (i == path.Length)
        {
            return k(cur);
        }

        var p = path[i];
        if (HasUnboundPatternVar(p, f))
        {
            return WalkKeys(cur, path, i, f, k);
        }

        if (TryGround(p, f) is { } g)
        {
            return (Lookup(cur, g) ?? (baseData ? LookupStringKey(cur, g) : null)) is { } next && WalkPath(next, path, i + 1, f, k, baseData);
        }

        return WalkEvaluatedKey(cur, path, i, f, k, baseData);
    }

    /// <summary>Enumerates the keys of `cur` that match an unbound path element.</summary>
    private bool WalkKeys(Value cur, Term[] path, int i, Value?[] f, Func<Value, bool> k)
    {
        var p = path[i];
        if (p is VarTerm { Slot: >= 0 } v)
        {
            return Iterate(cur, (key, val) =>
            {
                f[v.Slot] = key;
                var stop = WalkPath(val, path, i + 1, f, k);
                f[v.Slot] = null;
                return stop;
            });
        }

        return Iterate(cur, (key, val) => UnifyValue(p, key, f, () => WalkPath(val, path, i + 1, f, k)));
    }

    private bool WalkEvaluatedKey(Value cur, Term[] path, int i, Value?[] f, Func<Value, bool> k, bool baseData) =>
        EvalTerm(path[i], f, key => (Lookup(cur, key) ?? (baseData ? LookupStringKey(cur, key) : null)) is { } next && WalkPath(next, path, i + 1, f, k, baseData));

    /// <summary>Base documents are stored by string keys; OPA finds data.x[2] under the key "2".</summary>
    private static Value? LookupStringKey(Value cur, Value key) =>
        cur is ObjectValue o && key is NumberValue { IsInteger: true } n ? o.Get(n.ToJsonText()) : null;

    private static bool HasUnboundPatternVar(Term t, Value?[] f) => t switch
    {
        VarTerm { Slot: >= 0 } v => f[v.Slot] == null,
        ArrayTerm a => a.Items.Any(x => HasUnboundPatternVar(x, f)),
        ObjectTerm o => o.Items.Any(x => HasUnboundPatternVar(x.Value, f)),
        _ => false,
    };

    private Value EvalComprehension(ComprehensionTerm ct, Value?[] f)
    {
        switch (ct.Kind)
        {
            case ComprehensionKind.Array:
                var list = new List<Value>();
                EvalBody(ct.Body, 0, f, () => EvalTerm(ct.Head, f, v =>
                {
                    list.Add(v);
                    return false;
                }));
                return new ArrayValue([.. list]);
            case ComprehensionKind.Set:
                var set = new HashSet<Value>();
                EvalBody(ct.Body, 0, f, () => EvalTerm(ct.Head, f, v =>
                {
                    set.Add(v);
                    return false;
                }));
                return new SetValue(set);
            default:
                var map = new Dictionary<Value, Value>();
                EvalBody(ct.Body, 0, f, () => EvalTerm(ct.Head, f, key => EvalTerm(ct.Value!, f, val =>
                {
                    if (map.TryGetValue(key, out var existing) && !existing.Equals(val))
                    {
                        throw new RegoException(RegoErrorKind.EvalConflictError, "object keys must be unique", ct.Loc.File, ct.Loc.Line, ct.Loc.Column);
                    }

                    map[key] = val;
                    return false;
                })));
                return new ObjectValue(map);
        }
    }
}
