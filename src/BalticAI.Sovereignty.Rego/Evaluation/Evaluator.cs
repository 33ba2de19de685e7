using System.Runtime.CompilerServices;
using BalticAI.Sovereignty.Rego.Builtins;
using BalticAI.Sovereignty.Rego.Compilation;
using BalticAI.Sovereignty.Rego.Syntax;
using BalticAI.Sovereignty.Rego.Values;

namespace BalticAI.Sovereignty.Rego.Evaluation;

/// <summary>
/// Top-down evaluation with backtracking. Continuations return true to stop enumeration early.
/// A variable is bound by writing its frame slot before calling the continuation and cleared afterwards,
/// so no undo log is needed. One evaluator serves one evaluation; the compiled policy is only read.
/// </summary>
internal sealed partial class Evaluator : IBuiltinContext
{
    private readonly PolicyModel policy;
    private readonly RegoOptions options;
    private readonly CancellationToken ct;
    private readonly long deadline;
    private long steps;
    private int depth;
    private long? nowNs;

    public Evaluator(PolicyModel policy, Value? input, RegoOptions options, CancellationToken ct)
    {
        this.policy = policy;
        this.options = options;
        this.ct = ct;
        this.input = input;
        cache = new Value?[policy.Compiler.NodeCount];
        deadline = options.Timeout is { } t ? Environment.TickCount64 + (long)t.TotalMilliseconds : long.MaxValue;
    }

    /// <summary>Receives every expression evaluated and every rule that produced a value; null (the broker's case) costs one test.</summary>
    public RegoCoverage? Coverage { get; init; }

    public long NowNs => nowNs ??= (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000) + (DateTime.UtcNow.Ticks % 10_000 * 100);

    public CancellationToken Cancellation => ct;

    public List<Dictionary<string, Value>> Query(CompiledQuery q)
    {
        var results = new List<Dictionary<string, Value>>();
        var frame = new Value?[q.SlotCount];
        Run(() => EvalBody(q.Body, 0, frame, () =>
        {
            var row = new Dictionary<string, Value>(q.ResultVars.Length);
            foreach (var (name, slot) in q.ResultVars)
            {
                if (frame[slot] is { } v)
                {
                    row[name] = v;
                }
            }

            results.Add(row);
            return options.MaxResults > 0 && results.Count >= options.MaxResults;
        }));
        return results;
    }

    /// <summary>Solutions with the value of each top-level expression (terms give their value, others true).</summary>
    public List<(Dictionary<string, Value> Row, Value[] Values)> QueryWithExpressionValues(CompiledQuery q)
    {
        var results = new List<(Dictionary<string, Value>, Value[])>();
        var frame = new Value?[q.SlotCount];
        Run(() => EvalBody(q.Body, 0, frame, () =>
        {
            var row = new Dictionary<string, Value>(q.ResultVars.Length);
            foreach (var (name, slot) in q.ResultVars)
            {
                if (frame[slot] is { } v)
                {
                    row[name] = v;
                }
            }

            var values = new Value[q.Body.Exprs.Count];
            for (var i = 0; i < values.Length; i++)
            {
                var e = q.Body.Exprs[i];
                Value value = BoolValue.True;
                if (e is { Kind: ExprKind.Term, Negated: false })
                {
                    EvalTerm(e.Terms[0]!, frame, v =>
                    {
                        value = v;
                        return true;
                    });
                }

                values[i] = value;
            }

            results.Add((row, values));
            return false;
        }));
        return results;
    }

    /// <summary>First value of a single term, for queries that are one reference.</summary>
    public Value? FirstValue(Term t, int slots)
    {
        Value? result = null;
        var frame = new Value?[slots];
        Run(() => EvalTerm(t, frame, v =>
        {
            result = v;
            return true;
        }));
        return result;
    }

    private void Run(Func<bool> action)
    {
        try
        {
            action();
        }
        catch (InsufficientExecutionStackException)
        {
            throw new RegoException(RegoErrorKind.EvalLimitError, "evaluation exceeded the maximum nesting depth");
        }
    }

    private void Step()
    {
        if (++steps > options.MaxSteps)
        {
            throw new RegoException(RegoErrorKind.EvalLimitError, $"evaluation exceeded the step limit ({options.MaxSteps})");
        }

        if ((steps & 1023) == 0)
        {
            if (ct.IsCancellationRequested)
            {
                throw new RegoException(RegoErrorKind.EvalCancelError, "caller cancelled query execution");
            }

            if (Environment.TickCount64 > deadline)
            {
                throw new RegoException(RegoErrorKind.EvalCancelError, "evaluation exceeded the time limit");
            }
        }
    }

    private void Enter(Location? loc)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        if (++depth > options.MaxDepth)
        {
            throw new RegoException(RegoErrorKind.EvalLimitError, $"evaluation exceeded the depth limit ({options.MaxDepth})", loc?.File, loc?.Line ?? 0, loc?.Column ?? 0);
        }
    }

    private void Leave() => depth--;

    internal bool EvalBody(Body body, int i, Value?[] f, Func<bool> k)
    {
        for (; i < body.Exprs.Count; i++)
        {
            var e = body.Exprs[i];
            Coverage?.Hit(e.Loc);
            var fast = TryFastExpr(e, f);
            if (fast == FastResult.Unhandled)
            {
                return i == body.Exprs.Count - 1 ? EvalExpr(e, f, k) : EvalExprThenBody(e, body, i + 1, f, k);
            }

            Step();
            if (fast == FastResult.Failed)
            {
                return false;
            }

            if (fast >= FastResult.BoundSlot)
            {
                var slot = fast - FastResult.BoundSlot;
                var stop = EvalBody(body, i + 1, f, k);
                f[slot] = null;
                return stop;
            }
        }

        return k();
    }

    /// <summary>
    /// Separate from EvalBody because C# allocates a lambda's captured parameters on entry to the method
    /// that declares them: inline, every EvalBody call would pay for this closure, even on the fast path.
    /// </summary>
    private bool EvalExprThenBody(Expr e, Body body, int next, Value?[] f, Func<bool> k) =>
        EvalExpr(e, f, () => EvalBody(body, next, f, k));

    /// <summary>Outcome of the closure-free path: handled and true, failed, or a slot that was bound (value - BoundSlot).</summary>
    private enum FastResult
    {
        Unhandled = -3,
        Failed = -2,
        Succeeded = -1,
        BoundSlot = 0,
    }

    /// <summary>
    /// Evaluates expressions with at most one solution (tests of single-valued terms, assignment of one
    /// value to an unbound variable) without allocating continuations.
    /// </summary>
    private FastResult TryFastExpr(Expr e, Value?[] f)
    {
        if (e.With.Count > 0)
        {
            return FastResult.Unhandled;
        }

        switch (e.Kind)
        {
            case ExprKind.Term when e.Terms[0] is not CallTerm c || !Safety.HasOutputArg(c):
                if (!TryDirect(e.Terms[0]!, f, out var v))
                {
                    return FastResult.Unhandled;
                }

                var truthy = v != null && v is not BoolValue { Value: false };
                return truthy != e.Negated ? FastResult.Succeeded : FastResult.Failed;
            case ExprKind.Unify or ExprKind.Assign:
                var a = e.Terms[0]!;
                var b = e.Terms[1]!;
                if (!e.Negated && a is VarTerm { Slot: >= 0 } va && f[va.Slot] == null)
                {
                    return BindDirect(va, b, f);
                }

                if (!e.Negated && b is VarTerm { Slot: >= 0 } vb && f[vb.Slot] == null)
                {
                    return BindDirect(vb, a, f);
                }

                if (HasUnboundPatternVar(a, f) || HasUnboundPatternVar(b, f) || !TryDirect(a, f, out var x) || !TryDirect(b, f, out var y))
                {
                    return FastResult.Unhandled;
                }

                var equal = x != null && y != null && x.Equals(y);
                return equal != e.Negated ? FastResult.Succeeded : FastResult.Failed;
            default:
                return FastResult.Unhandled;
        }
    }

    private FastResult BindDirect(VarTerm target, Term source, Value?[] f)
    {
        if (!TryDirect(source, f, out var v))
        {
            return FastResult.Unhandled;
        }

        if (v == null)
        {
            return FastResult.Failed;
        }

        f[target.Slot] = v;
        return FastResult.BoundSlot + target.Slot;
    }

    /// <summary>Enumerates (key, value) pairs of a collection; scalars have none.</summary>
    internal static bool Iterate(Value coll, Func<Value, Value, bool> fn)
    {
        switch (coll)
        {
            case ArrayValue a:
                for (var i = 0; i < a.Items.Length; i++)
                {
                    if (fn(NumberValue.Of(i), a.Items[i]))
                    {
                        return true;
                    }
                }

                return false;
            case ObjectValue o:
                foreach (var key in o.Keys)
                {
                    if (fn(key, o.Map[key]))
                    {
                        return true;
                    }
                }

                return false;
            case SetValue s:
                foreach (var item in s.Sorted)
                {
                    if (fn(item, item))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }

    internal static Value? Lookup(Value coll, Value key) => coll switch
    {
        ObjectValue o => o.Get(key),
        ArrayValue a when key is NumberValue n && n.TryInt(out var i) && i >= 0 && i < a.Items.Length => a.Items[i],
        SetValue s => s.Contains(key) ? key : null,
        _ => null,
    };
}
