using BalticAI.Sovereignty.Rego.Builtins;
using BalticAI.Sovereignty.Rego.Syntax;
using BalticAI.Sovereignty.Rego.Values;

namespace BalticAI.Sovereignty.Rego.Evaluation;

/// <summary>Calls: argument evaluation, `with` replacements, builtins (with strict or lenient errors), walk.</summary>
internal sealed partial class Evaluator
{
    private bool EvalCall(CallTerm c, Value?[] f, int argc, Func<Value, bool> k)
    {
        if (c.Builtin?.Name == "print")
        {
            Print(c, f);
            return k(BoolValue.True);
        }

        var args = new Value[argc];
        return EvalArgs(c, 0, args, f, k);
    }

    /// <summary>print never fails: undefined arguments are printed as &lt;undefined&gt;, as OPA does.</summary>
    private void Print(CallTerm c, Value?[] f) =>
        options.Print?.Invoke(string.Join(' ', c.Args.Select(a => FirstValueOf(a, f) is { } v ? Builtins.BuiltinRegistry.PlainString(v) : "<undefined>")));

    private Value? FirstValueOf(Term t, Value?[] f)
    {
        Value? result = null;
        EvalTerm(t, f, v =>
        {
            result = v;
            return true;
        });
        return result;
    }

    private bool EvalArgs(CallTerm c, int i, Value[] args, Value?[] f, Func<Value, bool> k)
    {
        for (; i < args.Length; i++)
        {
            if (TryGround(c.Args[i], f) is { } g)
            {
                args[i] = g;
                continue;
            }

            return EvalArgThenRest(c, i, args, f, k);
        }

        return Invoke(c.FunctionPath != null ? "data." + string.Join('.', c.FunctionPath) : c.Name, c, args, k);
    }

    private bool EvalArgThenRest(CallTerm c, int i, Value[] args, Value?[] f, Func<Value, bool> k) =>
        EvalTerm(c.Args[i], f, v =>
        {
            var copy = (Value[])args.Clone();
            copy[i] = v;
            return EvalArgs(c, i + 1, copy, f, k);
        });

    private bool Invoke(string key, CallTerm c, Value[] args, Func<Value, bool> k)
    {
        if (fnOverrides != null && fnOverrides.TryGetValue(key, out var repl))
        {
            if (repl.Constant != null)
            {
                return k(repl.Constant);
            }

            // Inside a replacement the original functions are visible again (OPA: a mock never calls another mock).
            var outer = Save();
            Value? result = null;
            Restore(outer with { Fns = null, Cache = new Value?[policy.Compiler.NodeCount] });
            try
            {
                InvokeTarget(repl.Function!, c, args, v =>
                {
                    result = v;
                    return true;
                });
            }
            finally
            {
                Restore(outer);
            }

            return result != null && k(result);
        }

        return InvokeTarget(key, c, args, k);
    }

    private bool InvokeTarget(string key, CallTerm c, Value[] args, Func<Value, bool> k)
    {
        if (key.StartsWith("data.", StringComparison.Ordinal))
        {
            var path = key == "data." + string.Join('.', c.FunctionPath ?? []) && c.FunctionPath != null ? c.FunctionPath : key[5..].Split('.');
            return CallUser(path, args, c.Loc, k);
        }

        var builtin = key == c.Name && c.Builtin != null ? c.Builtin : BuiltinRegistry.Lookup(key)!;
        if (builtin.Name == "walk")
        {
            return Walk(args[0], [], k);
        }

        return CallBuiltin(builtin, c, args) is { } result && k(result);
    }

    private Value? CallBuiltin(Builtins.BuiltinFunction builtin, CallTerm c, Value[] args)
    {
        try
        {
            return builtin.Impl(this, args);
        }
        catch (BuiltinException ex)
        {
            return BuiltinFailed(builtin, c, ex.Kind, ex.Message);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or ArithmeticException or InvalidOperationException
            or IndexOutOfRangeException or KeyNotFoundException or System.Text.RegularExpressions.RegexMatchTimeoutException)
        {
            // A builtin that trips over an input it did not foresee fails like any builtin error (undefined, or
            // eval_builtin_error when strict), never as an exception escaping the evaluation as a server error.
            return BuiltinFailed(builtin, c, RegoErrorKind.EvalBuiltinError, ex.Message);
        }
    }

    private Value? BuiltinFailed(Builtins.BuiltinFunction builtin, CallTerm c, RegoErrorKind kind, string message) =>
        options.StrictBuiltinErrors ? throw new RegoException(kind, $"{builtin.Name}: {message}", c.Loc.File, c.Loc.Line, c.Loc.Column) : null;

    /// <summary>walk(x, [path, value]) enumerates every node of x in pre-order, the root first.</summary>
    private static bool Walk(Value v, List<Value> path, Func<Value, bool> k)
    {
        if (k(new ArrayValue([new ArrayValue([.. path]), v])))
        {
            return true;
        }

        return Iterate(v, (key, child) =>
        {
            path.Add(key);
            var stop = Walk(child, path, k);
            path.RemoveAt(path.Count - 1);
            return stop;
        });
    }
}
