using BalticAI.Sovereignty.Rego.Values;

namespace BalticAI.Sovereignty.Rego.Builtins;

/// <summary>Per-evaluation facilities for builtins (the clock is fixed for one evaluation, as in OPA).</summary>
internal interface IBuiltinContext
{
    long NowNs { get; }

    CancellationToken Cancellation { get; }
}

/// <summary>A builtin: name, arity and implementation. A null result means undefined.</summary>
internal sealed class BuiltinFunction(string name, int arity, Func<IBuiltinContext, Value[], Value?> impl)
{
    public string Name { get; } = name;

    public int Arity { get; } = arity;

    public Func<IBuiltinContext, Value[], Value?> Impl { get; } = impl;
}

/// <summary>A builtin failure; reported as eval_type_error or eval_builtin_error with the builtin's name.</summary>
internal sealed class BuiltinException(RegoErrorKind kind, string message) : Exception(message)
{
    public RegoErrorKind Kind { get; } = kind;

    public static BuiltinException Operand(int pos, string expected, Value got) =>
        new(RegoErrorKind.EvalTypeError, $"operand {pos} must be {expected} but got {got.TypeName}");

    public static BuiltinException Error(string message) => new(RegoErrorKind.EvalBuiltinError, message);
}

/// <summary>Argument checks that raise OPA's operand errors.</summary>
internal static class Args
{
    public static string Str(Value[] a, int i) => a[i] is StringValue s ? s.Value : throw BuiltinException.Operand(i + 1, "string", a[i]);

    public static NumberValue Num(Value[] a, int i) => a[i] as NumberValue ?? throw BuiltinException.Operand(i + 1, "number", a[i]);

    public static ArrayValue Arr(Value[] a, int i) => a[i] as ArrayValue ?? throw BuiltinException.Operand(i + 1, "array", a[i]);

    public static ObjectValue Obj(Value[] a, int i) => a[i] as ObjectValue ?? throw BuiltinException.Operand(i + 1, "object", a[i]);

    public static SetValue Set(Value[] a, int i) => a[i] as SetValue ?? throw BuiltinException.Operand(i + 1, "set", a[i]);

    public static bool Bool(Value[] a, int i) => a[i] is BoolValue b ? b.Value : throw BuiltinException.Operand(i + 1, "boolean", a[i]);

    public static int Int(Value[] a, int i)
    {
        var n = Num(a, i);
        return n.TryInt(out var v) ? v : throw BuiltinException.Operand(i + 1, "integer", a[i]);
    }

    /// <summary>Elements of an array or set, for builtins that accept either.</summary>
    public static IReadOnlyList<Value> Collection(Value[] a, int i, string expected = "one of {array, set}") => a[i] switch
    {
        ArrayValue arr => arr.Items,
        SetValue s => s.Sorted,
        _ => throw BuiltinException.Operand(i + 1, expected, a[i]),
    };

    public static StringValue S(string s) => new(s);

    public static NumberValue N(long n) => NumberValue.Of(n);

    public static ArrayValue A(IEnumerable<Value> items) => new([.. items]);

    public static SetValue SetOf(IEnumerable<Value> items) => new([.. items]);
}
