using BalticAI.Sovereignty.Rego.Values;
using static BalticAI.Sovereignty.Rego.Builtins.Args;

namespace BalticAI.Sovereignty.Rego.Builtins;

/// <summary>All builtins by name. Each group registers itself from its own file.</summary>
internal static partial class BuiltinRegistry
{
    private static readonly Dictionary<string, BuiltinFunction> All = new(StringComparer.Ordinal);

    /// <summary>Upper bound for builtins that create collections or strings from small inputs (untrusted policies).</summary>
    private const int MaxGeneratedItems = 10_000_000;

    static BuiltinRegistry()
    {
        RegisterCore();
        RegisterAggregates();
        RegisterStrings();
        RegisterCollections();
        RegisterEncoding();
        RegisterTime();
        RegisterMatching();
        RegisterMisc();
        RegisterBits();
    }

    public static BuiltinFunction? Lookup(string name) => All.GetValueOrDefault(name);

    private static void Add(string name, int arity, Func<Value[], Value?> impl) => All[name] = new BuiltinFunction(name, arity, (_, a) => impl(a));

    private static void AddCtx(string name, int arity, Func<IBuiltinContext, Value[], Value?> impl) => All[name] = new BuiltinFunction(name, arity, impl);

    private static void RegisterCore()
    {
        Add("equal", 2, a => BoolValue.Of(a[0].Equals(a[1])));
        Add("neq", 2, a => BoolValue.Of(!a[0].Equals(a[1])));
        Add("lt", 2, a => BoolValue.Of(a[0].CompareTo(a[1]) < 0));
        Add("lte", 2, a => BoolValue.Of(a[0].CompareTo(a[1]) <= 0));
        Add("gt", 2, a => BoolValue.Of(a[0].CompareTo(a[1]) > 0));
        Add("gte", 2, a => BoolValue.Of(a[0].CompareTo(a[1]) >= 0));
        Add("plus", 2, a => NumberMath.Add(Num(a, 0), Num(a, 1)));
        Add("mul", 2, a => NumberMath.Mul(Num(a, 0), Num(a, 1)));
        Add("div", 2, a => NumberMath.Div(Num(a, 0), Num(a, 1)));
        Add("rem", 2, a => NumberMath.Rem(Num(a, 0), Num(a, 1)));
        Add("minus", 2, Minus);
        Add("and", 2, a => SetOf(Set(a, 0).Items.Where(Set(a, 1).Contains)));
        Add("or", 2, a => SetOf(Set(a, 0).Items.Concat(Set(a, 1).Items)));
        Add("abs", 1, a => NumberMath.Abs(Num(a, 0)));
        Add("round", 1, a => NumberMath.Round(Num(a, 0), MidpointRounding.AwayFromZero));
        Add("ceil", 1, a => NumberMath.Ceil(Num(a, 0)));
        Add("floor", 1, a => NumberMath.Floor(Num(a, 0)));
        Add("internal.member_2", 2, a => BoolValue.Of(Member(a[0], a[1])));
        Add("internal.member_3", 3, a => BoolValue.Of(Evaluation.Evaluator.Lookup(a[2], a[0]) is { } v && v.Equals(a[1]) && a[2] is not SetValue));
        Add("is_number", 1, a => BoolValue.Of(a[0] is NumberValue));
        Add("is_string", 1, a => BoolValue.Of(a[0] is StringValue));
        Add("is_boolean", 1, a => BoolValue.Of(a[0] is BoolValue));
        Add("is_array", 1, a => BoolValue.Of(a[0] is ArrayValue));
        Add("is_set", 1, a => BoolValue.Of(a[0] is SetValue));
        Add("is_object", 1, a => BoolValue.Of(a[0] is ObjectValue));
        Add("is_null", 1, a => BoolValue.Of(a[0] is NullValue));
        Add("type_name", 1, a => S(a[0].TypeName));
        Add("to_number", 1, ToNumber);
        Add("numbers.range", 2, a => Range(a, 1));
        Add("numbers.range_step", 3, a => Range(a, Int(a, 2)));
    }

    private static Value Minus(Value[] a)
    {
        if (a[0] is NumberValue x && a[1] is NumberValue y)
        {
            return NumberMath.Sub(x, y);
        }

        if (a[0] is SetValue s && a[1] is SetValue t)
        {
            return SetOf(s.Items.Where(v => !t.Contains(v)));
        }

        if (a[0] is NumberValue)
        {
            throw BuiltinException.Operand(2, "number", a[1]);
        }

        if (a[0] is SetValue)
        {
            throw BuiltinException.Operand(2, "set", a[1]);
        }

        throw BuiltinException.Operand(1, "one of {number, set}", a[0]);
    }

    private static bool Member(Value x, Value coll) => coll switch
    {
        ArrayValue arr => arr.Items.Any(x.Equals),
        SetValue s => s.Contains(x),
        ObjectValue o => o.Map.Values.Any(x.Equals),
        _ => false,
    };

    private static Value? ToNumber(Value[] a) => a[0] switch
    {
        NumberValue n => n,
        NullValue => NumberValue.Zero,
        BoolValue b => b.Value ? NumberValue.One : NumberValue.Zero,
        StringValue s => ParseNumberString(s.Value),
        _ => throw BuiltinException.Operand(1, "one of {boolean, null, number, string}", a[0]),
    };

    private static NumberValue ParseNumberString(string s)
    {
        var t = s.Trim();
        if (t.Contains("inf", StringComparison.OrdinalIgnoreCase) || t.Contains("nan", StringComparison.OrdinalIgnoreCase))
        {
            throw new BuiltinException(RegoErrorKind.EvalTypeError, "operand 1 must be valid number string");
        }

        // Go's strconv.ParseFloat (OPA topdown/casts.go) takes one leading '+', and refuses a value beyond
        // float64 with ErrRange, so "+1" is 1 and "1e400" is an error.
        var unsigned = t.StartsWith('+') ? t[1..] : t;
        if (unsigned.Length == 0 || t != s || unsigned.StartsWith('+') || unsigned.StartsWith('-') && t != unsigned ||
            unsigned.TrimStart('-').StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            throw BuiltinException.Error($"invalid syntax");
        }

        var n = NumberValue.Parse(unsigned) ?? throw BuiltinException.Error("invalid syntax");
        return double.IsInfinity(n.AsDouble()) ? throw BuiltinException.Error($"strconv.ParseFloat: parsing {ValueFormatter.ToJson(new StringValue(s))}: value out of range") : n;
    }

    private static Value Range(Value[] a, int step)
    {
        var lo = Num(a, 0);
        var hi = Num(a, 1);
        if (!lo.IsInteger)
        {
            throw BuiltinException.Operand(1, "integer", a[0]);
        }

        if (!hi.IsInteger)
        {
            throw BuiltinException.Operand(2, "integer", a[1]);
        }

        if (step <= 0)
        {
            throw BuiltinException.Error("numbers.range_step: step must be a positive number above zero");
        }

        if (System.Numerics.BigInteger.Abs(hi.Integer - lo.Integer) / step > MaxGeneratedItems)
        {
            throw BuiltinException.Error($"range too large (more than {MaxGeneratedItems} elements)");
        }

        var items = new List<Value>();
        if (lo.Integer <= hi.Integer)
        {
            for (var i = lo.Integer; i <= hi.Integer; i += step)
            {
                items.Add(NumberValue.Of(i));
            }
        }
        else
        {
            for (var i = lo.Integer; i >= hi.Integer; i -= step)
            {
                items.Add(NumberValue.Of(i));
            }
        }

        return new ArrayValue([.. items]);
    }
}
