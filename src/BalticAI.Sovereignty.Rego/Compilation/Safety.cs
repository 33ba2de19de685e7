using BalticAI.Sovereignty.Rego.Syntax;

namespace BalticAI.Sovereignty.Rego.Compilation;

/// <summary>
/// Reorders body expressions so every variable is bound before it is read, as OPA does: repeated passes
/// in source order take each expression whose inputs are bound. What is left is reported as unsafe.
/// </summary>
internal sealed class Safety(List<string> slotNames, string file)
{
    public void Order(Body body, HashSet<int> bound)
    {
        var remaining = new List<Expr>(body.Exprs);
        var ordered = new List<Expr>(remaining.Count);
        while (remaining.Count > 0)
        {
            var progress = false;
            for (var i = 0; i < remaining.Count; i++)
            {
                var e = remaining[i];
                var outs = new HashSet<int>();
                if (!Ready(e, bound, outs))
                {
                    continue;
                }

                OrderClosures(e, bound);
                bound.UnionWith(outs);
                ordered.Add(e);
                remaining.RemoveAt(i);
                i--;
                progress = true;
            }

            if (!progress)
            {
                var e = remaining[0];
                var vars = new HashSet<int>();
                foreach (var t in e.Terms)
                {
                    if (t != null)
                    {
                        AllVars(t, vars);
                    }
                }

                vars.ExceptWith(bound);
                var name = vars.Count > 0 ? slotNames[vars.Min()] : "?";
                throw new RegoException(RegoErrorKind.UnsafeVarError, $"var {(name.StartsWith('$') ? "_" : name)} is unsafe", file, e.Loc.Line, e.Loc.Column);
            }
        }

        body.Exprs = ordered;
    }

    private void OrderClosures(Expr e, HashSet<int> bound)
    {
        foreach (var t in e.Terms)
        {
            if (t != null)
            {
                VisitClosures(t, bound);
            }
        }

        foreach (var w in e.With)
        {
            VisitClosures(w.Value, bound);
        }

        if (e.Kind == ExprKind.Every)
        {
            var inner = new HashSet<int>(bound);
            PatternVars(e.Terms[1]!, inner, inner);
            if (e.Terms[0] != null)
            {
                PatternVars(e.Terms[0]!, inner, inner);
            }

            Order(e.Body!, inner);
        }
    }

    private void VisitClosures(Term t, HashSet<int> bound)
    {
        switch (t)
        {
            case ComprehensionTerm c:
                Order(c.Body, new HashSet<int>(bound));
                break;
            case RefTerm r:
                VisitClosures(r.Head, bound);
                Array.ForEach(r.Path, p => VisitClosures(p, bound));
                break;
            case CallTerm c:
                Array.ForEach(c.Args, a => VisitClosures(a, bound));
                break;
            case ArrayTerm a:
                Array.ForEach(a.Items, i => VisitClosures(i, bound));
                break;
            case SetTerm s:
                Array.ForEach(s.Items, i => VisitClosures(i, bound));
                break;
            case ObjectTerm o:
                foreach (var (k, v) in o.Items)
                {
                    VisitClosures(k, bound);
                    VisitClosures(v, bound);
                }

                break;
        }
    }

    private static bool Ready(Expr e, HashSet<int> bound, HashSet<int> outs)
    {
        foreach (var w in e.With)
        {
            if (!ValueReady(w.Value, bound, outs))
            {
                return false;
            }
        }

        bool ok;
        switch (e.Kind)
        {
            case ExprKind.Some:
                return true;
            case ExprKind.Term:
                ok = TermExprReady(e.Terms[0]!, bound, outs);
                break;
            case ExprKind.Unify:
            case ExprKind.Assign:
                ok = UnifyReady(e.Terms[0]!, e.Terms[1]!, bound, outs);
                break;
            case ExprKind.SomeIn:
                ok = ValueReady(e.Terms[2]!, bound, outs);
                if (ok)
                {
                    var b = new HashSet<int>(bound);
                    b.UnionWith(outs);
                    ok = PatternReady(e.Terms[1]!, b, outs) && (e.Terms[0] == null || PatternReady(e.Terms[0]!, b, outs));
                }

                break;
            case ExprKind.Every:
                ok = ValueReady(e.Terms[2]!, bound, outs) && FreeVarsBound(e.Body!, e.LocalStart, e.LocalEnd, bound);
                outs.Clear();
                break;
            default:
                ok = false;
                break;
        }

        if (ok && e.Negated)
        {
            outs.ExceptWith(bound);
            ok = outs.Count == 0;
        }

        return ok;
    }

    /// <summary>A call used as a statement may carry one extra argument that receives the result.</summary>
    private static bool TermExprReady(Term t, HashSet<int> bound, HashSet<int> outs)
    {
        if (t is CallTerm c && HasOutputArg(c))
        {
            for (var i = 0; i < c.Args.Length - 1; i++)
            {
                if (!ValueReady(c.Args[i], bound, outs))
                {
                    return false;
                }
            }

            var b = new HashSet<int>(bound);
            b.UnionWith(outs);
            return PatternReady(c.Args[^1], b, outs);
        }

        return ValueReady(t, bound, outs);
    }

    public static bool HasOutputArg(CallTerm c) => c.Builtin != null ? c.Args.Length == c.Builtin.Arity + 1 && c.Builtin.Arity >= 0 : c.FunctionPath != null && c.Args.Length == c.FunctionArity + 1;

    private static bool UnifyReady(Term a, Term b, HashSet<int> bound, HashSet<int> outs)
    {
        var trial = new HashSet<int>();
        if (ValueReady(a, bound, trial))
        {
            var bb = new HashSet<int>(bound);
            bb.UnionWith(trial);
            if (PatternReady(b, bb, trial))
            {
                outs.UnionWith(trial);
                return true;
            }
        }

        trial.Clear();
        if (ValueReady(b, bound, trial))
        {
            var bb = new HashSet<int>(bound);
            bb.UnionWith(trial);
            if (PatternReady(a, bb, trial))
            {
                outs.UnionWith(trial);
                return true;
            }
        }

        if (a is ObjectTerm oa && b is ObjectTerm ob && oa.Items.Length == ob.Items.Length &&
            oa.Items.All(x => x.Key is ScalarTerm) && ob.Items.All(x => x.Key is ScalarTerm))
        {
            var left = oa.Items.OrderBy(x => ((ScalarTerm)x.Key).Value).Select(x => x.Value).ToArray();
            var right = ob.Items.OrderBy(x => ((ScalarTerm)x.Key).Value).Select(x => x.Value).ToArray();
            return UnifyReady(new ArrayTerm { Items = left, Loc = a.Loc }, new ArrayTerm { Items = right, Loc = b.Loc }, bound, outs);
        }

        if (a is ArrayTerm aa && b is ArrayTerm ba && aa.Items.Length == ba.Items.Length)
        {
            var bb = new HashSet<int>(bound);
            var pending = Enumerable.Range(0, aa.Items.Length).ToList();
            while (pending.Count > 0)
            {
                var idx = pending.FindIndex(i => UnifyReady(aa.Items[i], ba.Items[i], bb, trial));
                if (idx < 0)
                {
                    return false;
                }

                bb.UnionWith(trial);
                pending.RemoveAt(idx);
            }

            outs.UnionWith(trial);
            return true;
        }

        return false;
    }

    /// <summary>True when the term can be evaluated to values: its inputs are bound. Reference keys become bound.</summary>
    public static bool ValueReady(Term t, HashSet<int> bound, HashSet<int> outs)
    {
        var inputs = new HashSet<int>();
        var o = new HashSet<int>();
        Inputs(t, inputs, o);
        inputs.ExceptWith(bound);
        inputs.ExceptWith(o);
        if (inputs.Count > 0)
        {
            return false;
        }

        outs.UnionWith(o);
        return true;
    }

    /// <summary>Pattern position: unbound variables (also inside arrays and object values) get bound.</summary>
    private static bool PatternReady(Term t, HashSet<int> bound, HashSet<int> outs)
    {
        switch (t)
        {
            case VarTerm v:
                if (v.Slot >= 0)
                {
                    outs.Add(v.Slot);
                }

                return true;
            case ArrayTerm a:
                return a.Items.All(i => PatternReady(i, bound, outs));
            case ObjectTerm o:
                return o.Items.All(kv => ValueReady(kv.Key, bound, outs) && PatternReady(kv.Value, bound, outs));
            default:
                return ValueReady(t, bound, outs);
        }
    }

    public static void PatternVars(Term t, HashSet<int> outs, HashSet<int> _)
    {
        switch (t)
        {
            case VarTerm { Slot: >= 0 } v:
                outs.Add(v.Slot);
                break;
            case ArrayTerm a:
                Array.ForEach(a.Items, i => PatternVars(i, outs, outs));
                break;
            case ObjectTerm o:
                foreach (var (_, v) in o.Items)
                {
                    PatternVars(v, outs, outs);
                }

                break;
        }
    }

    public static void Inputs(Term t, HashSet<int> inputs) => Inputs(t, inputs, new HashSet<int>());

    /// <summary>Variables read by evaluating the term (inputs) and variables bound by iterating references (outs).</summary>
    private static void Inputs(Term t, HashSet<int> inputs, HashSet<int> outs)
    {
        switch (t)
        {
            case VarTerm { Slot: >= 0 } v:
                inputs.Add(v.Slot);
                break;
            case RefTerm r:
                Inputs(r.Head, inputs, outs);
                foreach (var p in r.Path)
                {
                    if (p is VarTerm or ArrayTerm or ObjectTerm)
                    {
                        PatternVars(p, outs, outs);
                        if (p is ObjectTerm ot)
                        {
                            foreach (var (k, _) in ot.Items)
                            {
                                Inputs(k, inputs, outs);
                            }
                        }
                    }
                    else
                    {
                        Inputs(p, inputs, outs);
                    }
                }

                break;
            case CallTerm c:
                Array.ForEach(c.Args, a => Inputs(a, inputs, outs));
                break;
            case ArrayTerm a:
                Array.ForEach(a.Items, i => Inputs(i, inputs, outs));
                break;
            case SetTerm s:
                Array.ForEach(s.Items, i => Inputs(i, inputs, outs));
                break;
            case ObjectTerm o:
                foreach (var (k, v) in o.Items)
                {
                    Inputs(k, inputs, outs);
                    Inputs(v, inputs, outs);
                }

                break;
            case ComprehensionTerm c:
                var all = new HashSet<int>();
                AllVars(c.Head, all);
                if (c.Value != null)
                {
                    AllVars(c.Value, all);
                }

                BodyVars(c.Body, all);
                inputs.UnionWith(all.Where(s => s < c.LocalStart || s >= c.LocalEnd));
                break;
        }
    }

    private static bool FreeVarsBound(Body body, int start, int end, HashSet<int> bound)
    {
        var all = new HashSet<int>();
        BodyVars(body, all);
        return all.Where(s => s < start || s >= end).All(bound.Contains);
    }

    private static void BodyVars(Body body, HashSet<int> all)
    {
        foreach (var e in body.Exprs)
        {
            foreach (var t in e.Terms)
            {
                if (t != null)
                {
                    AllVars(t, all);
                }
            }

            foreach (var w in e.With)
            {
                AllVars(w.Value, all);
            }

            if (e.Body != null)
            {
                BodyVars(e.Body, all);
            }
        }
    }

    public static void AllVars(Term t, HashSet<int> all)
    {
        switch (t)
        {
            case VarTerm { Slot: >= 0 } v:
                all.Add(v.Slot);
                break;
            case RefTerm r:
                AllVars(r.Head, all);
                Array.ForEach(r.Path, p => AllVars(p, all));
                break;
            case CallTerm c:
                Array.ForEach(c.Args, a => AllVars(a, all));
                break;
            case ArrayTerm a:
                Array.ForEach(a.Items, i => AllVars(i, all));
                break;
            case SetTerm s:
                Array.ForEach(s.Items, i => AllVars(i, all));
                break;
            case ObjectTerm o:
                foreach (var (k, v) in o.Items)
                {
                    AllVars(k, all);
                    AllVars(v, all);
                }

                break;
            case ComprehensionTerm c:
                AllVars(c.Head, all);
                if (c.Value != null)
                {
                    AllVars(c.Value, all);
                }

                BodyVars(c.Body, all);
                break;
        }
    }
}
