using BalticAI.Sovereignty.Rego.Builtins;
using BalticAI.Sovereignty.Rego.Syntax;
using BalticAI.Sovereignty.Rego.Values;

namespace BalticAI.Sovereignty.Rego.Evaluation;

/// <summary>Terms: values, references, unification, calls and comprehensions.</summary>
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

    internal bool Unify(Term a, Term b, Value?[] f, Func<bool> k)
    {
        if (a is ArrayTerm aa && b is ArrayTerm ba)
        {
            return aa.Items.Length == ba.Items.Length && UnifyPairs(aa.Items, ba.Items, 0, f, k);
        }

        if (a is ObjectTerm oa && b is ObjectTerm ob && PairObjectTerms(oa, ob, f) is { } pairs)
        {
            return pairs.Left.Length == oa.Items.Length && UnifyPairs(pairs.Left, pairs.Right, 0, f, k);
        }

        if (HasUnboundPatternVar(a, f))
        {
            if (HasUnboundPatternVar(b, f) && a is VarTerm && b is VarTerm)
            {
                throw new RegoException(RegoErrorKind.UnsafeVarError, "unsafe unification of two unbound variables", a.Loc.File, a.Loc.Line, a.Loc.Column);
            }

            return EvalTerm(b, f, v => UnifyValue(a, v, f, k));
        }

        if (HasUnboundPatternVar(b, f))
        {
            return EvalTerm(a, f, v => UnifyValue(b, v, f, k));
        }

        if (TryGround(a, f) is { } ga)
        {
            return EvalTerm(b, f, vb => ga.Equals(vb) && k());
        }

        return EvalTerm(a, f, va => EvalTerm(b, f, vb => va.Equals(vb) && k()));
    }

    /// <summary>Matches the values of two object literals by (ground) key; null when a key is not ground.</summary>
    private (Term[] Left, Term[] Right)? PairObjectTerms(ObjectTerm a, ObjectTerm b, Value?[] f)
    {
        if (a.Items.Length != b.Items.Length)
        {
            return ([], []);
        }

        var left = new List<Term>();
        var right = new List<Term>();
        foreach (var (ka, va) in a.Items)
        {
            if (TryGround(ka, f) is not { } key)
            {
                return null;
            }

            var match = -1;
            for (var j = 0; j < b.Items.Length; j++)
            {
                if (TryGround(b.Items[j].Key, f) is not { } kb)
                {
                    return null;
                }

                if (kb.Equals(key))
                {
                    match = j;
                }
            }

            if (match < 0)
            {
                return ([], []);
            }

            left.Add(va);
            right.Add(b.Items[match].Value);
        }

        return ([.. left], [.. right]);
    }

    private bool UnifyPairs(Term[] a, Term[] b, int i, Value?[] f, Func<bool> k) =>
        i == a.Length ? k() : Unify(a[i], b[i], f, () => UnifyPairs(a, b, i + 1, f, k));

    /// <summary>Matches a pattern term against a value, binding its unbound variables.</summary>
    internal bool UnifyValue(Term p, Value v, Value?[] f, Func<bool> k)
    {
        switch (p)
        {
            case VarTerm { Slot: >= 0 } var:
                if (f[var.Slot] is { } bound)
                {
                    return bound.Equals(v) && k();
                }

                f[var.Slot] = v;
                var stop = k();
                f[var.Slot] = null;
                return stop;
            case ArrayTerm a:
                return v is ArrayValue av && av.Items.Length == a.Items.Length && UnifyItems(a.Items, av.Items, 0, f, k);
            case ObjectTerm o:
                if (v is not ObjectValue ov || ov.Count != o.Items.Length)
                {
                    return false;
                }

                return UnifyObject(o, ov, 0, f, k);
            default:
                if (TryGround(p, f) is { } g)
                {
                    return g.Equals(v) && k();
                }

                return EvalEqualTo(p, v, f, k);
        }
    }

    private bool EvalEqualTo(Term p, Value v, Value?[] f, Func<bool> k) => EvalTerm(p, f, pv => pv.Equals(v) && k());

    /// <summary>Unbound variables and scalars (most function arguments) match without a continuation per item.</summary>
    private bool UnifyItems(Term[] pats, Value[] vals, int i, Value?[] f, Func<bool> k)
    {
        for (; i < pats.Length; i++)
        {
            switch (pats[i])
            {
                case VarTerm { Slot: >= 0 } v when f[v.Slot] == null:
                    f[v.Slot] = vals[i];
                    var stop = UnifyItems(pats, vals, i + 1, f, k);
                    f[v.Slot] = null;
                    return stop;
                case VarTerm { Slot: >= 0 } v:
                    if (!f[v.Slot]!.Equals(vals[i]))
                    {
                        return false;
                    }

                    break;
                case ScalarTerm s:
                    if (!s.Value.Equals(vals[i]))
                    {
                        return false;
                    }

                    break;
                default:
                    return UnifyItemThenRest(pats, vals, i, f, k);
            }
        }

        return k();
    }

    private bool UnifyItemThenRest(Term[] pats, Value[] vals, int i, Value?[] f, Func<bool> k) =>
        UnifyValue(pats[i], vals[i], f, () => UnifyItems(pats, vals, i + 1, f, k));

    private bool UnifyObject(ObjectTerm o, ObjectValue ov, int i, Value?[] f, Func<bool> k)
    {
        if (i == o.Items.Length)
        {
            return k();
        }

        return EvalTerm(o.Items[i].Key, f, key => ov.Get(key) is { } val && UnifyValue(o.Items[i].Value, val, f, () => UnifyObject(o, ov, i + 1, f, k)));
    }

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
