using BalticAI.Sovereignty.Rego.Compilation;
using BalticAI.Sovereignty.Rego.Syntax;
using BalticAI.Sovereignty.Rego.Values;

namespace BalticAI.Sovereignty.Rego.Evaluation;

/// <summary>
/// Expressions on the enumerating path. Each lambda lives in a method of its own: C# allocates the captured
/// parameters of a method on entry, so a lambda next to a closure-free case would cost every call.
/// </summary>
internal sealed partial class Evaluator
{
    private bool EvalExpr(Expr e, Value?[] f, Func<bool> k)
    {
        Step();
        if (e.With.Count > 0)
        {
            return EvalWith(e, f, k);
        }

        return EvalExprNoWith(e, f, k);
    }

    private bool EvalExprNoWith(Expr e, Value?[] f, Func<bool> k) =>
        e.Negated ? EvalNegated(e, f, k) : EvalCore(e, f, k);

    private bool EvalNegated(Expr e, Value?[] f, Func<bool> k)
    {
        var found = false;
        EvalCore(e, f, () => found = true);
        return !found && k();
    }

    private bool EvalCore(Expr e, Value?[] f, Func<bool> k)
    {
        switch (e.Kind)
        {
            case ExprKind.Term:
                var t = e.Terms[0]!;
                if (t is CallTerm c && Safety.HasOutputArg(c))
                {
                    return EvalCallWithOutput(c, f, k);
                }

                if (TryDirect(t, f, out var g))
                {
                    return g != null && g is not BoolValue { Value: false } && k();
                }

                return EvalTruthy(t, f, k);
            case ExprKind.Unify:
            case ExprKind.Assign:
                return Unify(e.Terms[0]!, e.Terms[1]!, f, k);
            case ExprKind.Some:
                return k();
            case ExprKind.SomeIn:
                return EvalSomeIn(e, f, k);
            case ExprKind.Every:
                return EvalEveryExpr(e, f, k);
            default:
                return false;
        }
    }

    private bool EvalCallWithOutput(CallTerm c, Value?[] f, Func<bool> k) =>
        EvalCall(c, f, c.Args.Length - 1, v => UnifyValue(c.Args[^1], v, f, k));

    private bool EvalTruthy(Term t, Value?[] f, Func<bool> k) =>
        EvalTerm(t, f, v => v is not BoolValue { Value: false } && k());

    private bool EvalSomeIn(Expr e, Value?[] f, Func<bool> k)
    {
        if (e.Terms[0] == null && TryDirect(e.Terms[2]!, f, out var coll))
        {
            return coll != null && SomeValueIn(e.Terms[1]!, coll, f, k);
        }

        return EvalSomeInEnumerated(e, f, k);
    }

    /// <summary>`some x in xs` over one collection, in Iterate's order, without a callback per element.</summary>
    private bool SomeValueIn(Term val, Value coll, Value?[] f, Func<bool> k)
    {
        switch (coll)
        {
            case ArrayValue a:
                foreach (var item in a.Items)
                {
                    if (UnifyValue(val, item, f, k))
                    {
                        return true;
                    }
                }

                return false;
            case ObjectValue o:
                foreach (var key in o.Keys)
                {
                    if (UnifyValue(val, o.Map[key], f, k))
                    {
                        return true;
                    }
                }

                return false;
            case SetValue s:
                foreach (var item in s.Sorted)
                {
                    if (UnifyValue(val, item, f, k))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }

    private bool EvalSomeInEnumerated(Expr e, Value?[] f, Func<bool> k)
    {
        var key = e.Terms[0];
        var val = e.Terms[1]!;
        return EvalTerm(e.Terms[2]!, f, coll => Iterate(coll, (kv, vv) =>
            key == null ? UnifyValue(val, vv, f, k) : UnifyKeyAndValue(key, val, kv, vv, f, k)));
    }

    private bool UnifyKeyAndValue(Term key, Term val, Value kv, Value vv, Value?[] f, Func<bool> k) =>
        UnifyValue(val, vv, f, () => UnifyValue(key, kv, f, k));

    private bool EvalEveryExpr(Expr e, Value?[] f, Func<bool> k) =>
        EvalTerm(e.Terms[2]!, f, coll => EvalEvery(e, coll, f) && k());

    private bool EvalEvery(Expr e, Value coll, Value?[] f)
    {
        if (coll is not (ArrayValue or ObjectValue or SetValue))
        {
            return false;
        }

        var key = e.Terms[0];
        var val = e.Terms[1]!;
        var failed = Iterate(coll, (kv, vv) =>
        {
            var ok = false;
            UnifyValue(val, vv, f, () => key == null
                ? EvalBody(e.Body!, 0, f, () => ok = true)
                : UnifyValue(key, kv, f, () => EvalBody(e.Body!, 0, f, () => ok = true)));
            return !ok;
        });
        return !failed;
    }
}
