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
        deadline = options.Timeout is { } t ? Environment.TickCount64 + (long)t.TotalMilliseconds : long.MaxValue;
    }

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
        if (i == body.Exprs.Count)
        {
            return k();
        }

        if (i == body.Exprs.Count - 1)
        {
            return EvalExpr(body.Exprs[i], f, k);
        }

        return EvalExpr(body.Exprs[i], f, () => EvalBody(body, i + 1, f, k));
    }

    private bool EvalExpr(Expr e, Value?[] f, Func<bool> k)
    {
        Step();
        if (e.With.Count > 0)
        {
            return EvalWith(e, f, k);
        }

        return EvalExprNoWith(e, f, k);
    }

    private bool EvalExprNoWith(Expr e, Value?[] f, Func<bool> k)
    {
        if (!e.Negated)
        {
            return EvalCore(e, f, k);
        }

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
                    return EvalCall(c, f, c.Args.Length - 1, v => UnifyValue(c.Args[^1], v, f, k));
                }

                if (TryGround(t, f) is { } g)
                {
                    return g is not BoolValue { Value: false } && k();
                }

                return EvalTerm(t, f, v => v is not BoolValue { Value: false } && k());
            case ExprKind.Unify:
            case ExprKind.Assign:
                return Unify(e.Terms[0]!, e.Terms[1]!, f, k);
            case ExprKind.Some:
                return k();
            case ExprKind.SomeIn:
                var key = e.Terms[0];
                var val = e.Terms[1]!;
                return EvalTerm(e.Terms[2]!, f, coll => Iterate(coll, (kv, vv) =>
                    UnifyValue(val, vv, f, () => key == null ? k() : UnifyValue(key, kv, f, k))));
            case ExprKind.Every:
                return EvalTerm(e.Terms[2]!, f, coll => EvalEvery(e, coll, f) && k());
            default:
                return false;
        }
    }

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
