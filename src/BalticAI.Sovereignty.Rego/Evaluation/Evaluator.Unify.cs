using BalticAI.Sovereignty.Rego.Syntax;
using BalticAI.Sovereignty.Rego.Values;

namespace BalticAI.Sovereignty.Rego.Evaluation;

/// <summary>Unification of terms with terms and of patterns with values, binding unbound variables.</summary>
internal sealed partial class Evaluator
{
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
}
