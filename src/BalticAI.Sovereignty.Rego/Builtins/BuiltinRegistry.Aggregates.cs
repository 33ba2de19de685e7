using System.Globalization;
using System.Text;
using BalticAI.Sovereignty.Rego.Values;
using static BalticAI.Sovereignty.Rego.Builtins.Args;

namespace BalticAI.Sovereignty.Rego.Builtins;

/// <summary>Aggregates: count, sum, product, max, min, sort, all, any.</summary>
internal static partial class BuiltinRegistry
{
    private static void RegisterAggregates()
    {
        Add("count", 1, a => a[0] switch
        {
            ArrayValue x => N(x.Count),
            ObjectValue x => N(x.Count),
            SetValue x => N(x.Count),
            StringValue s => N(s.Value.EnumerateRunes().Count()),
            _ => throw BuiltinException.Operand(1, "one of {array, object, set, string}", a[0]),
        });
        Add("sum", 1, a => Numbers(a).Aggregate(NumberValue.Zero, NumberMath.Add));
        Add("product", 1, a => Numbers(a).Aggregate(NumberValue.One, NumberMath.Mul));
        Add("max", 1, a => Collection(a, 0) is { Count: > 0 } c ? c.Max() : null);
        Add("min", 1, a => Collection(a, 0) is { Count: > 0 } c ? c.Min() : null);
        Add("sort", 1, a => new ArrayValue([.. Collection(a, 0).Order()]));
        Add("all", 1, a => BoolValue.Of(Collection(a, 0).All(v => v is BoolValue { Value: true })));
        Add("any", 1, a => BoolValue.Of(Collection(a, 0).Any(v => v is BoolValue { Value: true })));
    }

    private static IEnumerable<NumberValue> Numbers(Value[] a)
    {
        foreach (var v in Collection(a, 0))
        {
            yield return v as NumberValue ?? throw BuiltinException.Operand(1, "one of {array, set} of numbers", a[0]);
        }
    }

    /// <summary>Go-style fmt for sprintf: verbs v s d f e g x X o b t q and %% with flags, width and precision.</summary>
    private static string Sprintf(string format, IReadOnlyList<Value> args)
    {
        var sb = new StringBuilder();
        var argi = 0;
        for (var i = 0; i < format.Length; i++)
        {
            var ch = format[i];
            if (ch != '%')
            {
                sb.Append(ch);
                continue;
            }

            i++;
            var flags = string.Empty;
            while (i < format.Length && "+-# 0".Contains(format[i]))
            {
                flags += format[i++];
            }

            var width = 0;
            while (i < format.Length && char.IsDigit(format[i]))
            {
                width = (width * 10) + (format[i++] - '0');
            }

            int? precision = null;
            if (i < format.Length && format[i] == '.')
            {
                i++;
                precision = 0;
                while (i < format.Length && char.IsDigit(format[i]))
                {
                    precision = (precision * 10) + (format[i++] - '0');
                }
            }

            if (i >= format.Length)
            {
                sb.Append("%!(NOVERB)");
                break;
            }

            if (width > MaxGeneratedItems || precision > MaxGeneratedItems)
            {
                throw BuiltinException.Error("format width or precision too large");
            }

            var verb = format[i];
            if (verb == '%')
            {
                sb.Append('%');
                continue;
            }

            if (argi >= args.Count)
            {
                sb.Append("%!").Append(verb).Append("(MISSING)");
                continue;
            }

            var s = FormatVerb(verb, args[argi++], precision, flags);
            // Go pads to a width counted in runes, not UTF-16 units.
            var pad = width - s.EnumerateRunes().Count();
            if (pad > 0)
            {
                s = flags.Contains('-') ? s + new string(' ', pad) : (flags.Contains('0') && verb != 's' ? ZeroPad(s, s.Length + pad) : new string(' ', pad) + s);
            }

            sb.Append(s);
        }

        if (argi < args.Count)
        {
            sb.Append("%!(EXTRA ");
            sb.Append(string.Join(", ", args.Skip(argi).Select(a => GoTypeName(a) + "=" + PlainString(a))));
            sb.Append(')');
        }

        return sb.ToString();
    }

    private static string ZeroPad(string s, int width) =>
        s.StartsWith('-') ? "-" + s[1..].PadLeft(width - 1, '0') : s.PadLeft(width, '0');

    /// <summary>Go type sprintf sees for an argument: OPA passes integers as int/big.Int, other numbers as float64, strings as string, anything else as its Rego text.</summary>
    private static string GoTypeName(Value v) => v switch
    {
        NumberValue { IsInteger: true } n => n.TryLong(out _) ? "int" : "*big.Int",
        NumberValue => "float64",
        _ => "string",
    };

    /// <summary>How OPA prints a value with %v: strings raw, everything else as Rego text.</summary>
    internal static string PlainString(Value v) => v switch
    {
        StringValue s => s.Value,
        NumberValue { Literal: { } literal } => literal,
        NumberValue { IsInteger: false } n => GoFloat(n.AsDouble()),
        _ => ValueFormatter.ToRego(v),
    };

    private static string Bad(char verb, Value v) => $"%!{verb}({GoTypeName(v)}={PlainString(v)})";

    private static string FormatVerb(char verb, Value v, int? precision, string flags)
    {
        var isInt = v is NumberValue { IsInteger: true };
        var isFloat = v is NumberValue { IsInteger: false };
        switch (verb)
        {
            case 'v':
                return PlainString(v);
            case 's':
                if (v is NumberValue && GoTypeName(v) != "*big.Int")
                {
                    return Bad(verb, v);
                }

                var text = PlainString(v);
                // Go counts the precision of %s in runes; cutting UTF-16 units could split a surrogate pair.
                return precision is { } p && p < text.Length ? string.Concat(text.EnumerateRunes().Take(p)) : text;
            case 'q':
                if (v is NumberValue)
                {
                    return Bad(verb, v);
                }

                var sb = new StringBuilder();
                ValueFormatter.WriteString(sb, PlainString(v));
                return sb.ToString();
            case 'T':
                return GoTypeName(v);
            case 'd':
                if (v is NumberValue { IsInteger: true } n)
                {
                    var d = n.Integer.ToString(CultureInfo.InvariantCulture);
                    return flags.Contains('+') && n.Sign >= 0 ? "+" + d : d;
                }

                return Bad(verb, v);
            case 'f' or 'F' or 'e' or 'E' or 'g' or 'G':
                return isFloat ? FormatFloat(verb, (NumberValue)v, precision) : Bad(verb, v);
            case 'x' or 'X' or 'o' or 'b':
                if (isInt)
                {
                    var iv = (NumberValue)v;
                    var radix = verb is 'x' or 'X' ? 16 : verb == 'o' ? 8 : 2;
                    var r = FormatRadix(iv.Integer, radix);
                    return verb == 'X' ? r.ToUpperInvariant() : r;
                }

                if (v is not NumberValue && verb is 'x' or 'X')
                {
                    var hex = Convert.ToHexString(Encoding.UTF8.GetBytes(PlainString(v)));
                    return verb == 'x' ? hex.ToLowerInvariant() : hex;
                }

                return Bad(verb, v);
            default:
                return Bad(verb, v);
        }
    }

    /// <summary>Go's %v for float64: shortest digits, exponent form below 1e-4 or from 1e21.</summary>
    private static string GoFloat(double f)
    {
        if (f == 0)
        {
            return "0";
        }

        // strconv's shortest 'g' (what %v and %g print for a float64) switches to an exponent from 1e+06 on:
        // "if precision was the shortest possible, use precision 6 for this decision" (Go strconv/ftoa.go).
        var exp = (int)Math.Floor(Math.Log10(Math.Abs(f)));
        if (exp < -4 || exp >= 6)
        {
            return GoExponent(f);
        }

        return f.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>Shortest mantissa with a two-digit (at least) exponent, as Go writes 1e-05 or 1.5e+21.</summary>
    private static string GoExponent(double f)
    {
        var r = f.ToString("R", CultureInfo.InvariantCulture);
        var e = r.IndexOfAny(['E', 'e']);
        string mantissa;
        int exp;
        if (e >= 0)
        {
            mantissa = r[..e];
            exp = int.Parse(r[(e + 1)..], CultureInfo.InvariantCulture);
        }
        else
        {
            exp = (int)Math.Floor(Math.Log10(Math.Abs(f)));
            mantissa = (f / Math.Pow(10, exp)).ToString("R", CultureInfo.InvariantCulture);
        }

        return mantissa + "e" + (exp < 0 ? "-" : "+") + Math.Abs(exp).ToString("D2", CultureInfo.InvariantCulture);
    }

    private static string FormatFloat(char verb, NumberValue n, int? precision)
    {
        switch (verb)
        {
            case 'f' or 'F':
                var p = precision ?? 6;
                if (n.TryDecimal(out var d) && p <= 20)
                {
                    return Math.Round(d, Math.Min(p, 28), MidpointRounding.ToEven).ToString("F" + p, CultureInfo.InvariantCulture);
                }

                return n.AsDouble().ToString("F" + p, CultureInfo.InvariantCulture);
            case 'e' or 'E':
                var s = n.AsDouble().ToString((verb == 'e' ? "e" : "E") + (precision ?? 6), CultureInfo.InvariantCulture);
                var idx = s.IndexOfAny(['e', 'E']);
                var exp = int.Parse(s[(idx + 1)..], CultureInfo.InvariantCulture);
                return s[..(idx + 1)] + (exp < 0 ? "-" : "+") + Math.Abs(exp).ToString("D2", CultureInfo.InvariantCulture);
            default:
                return precision is { } gp ? n.AsDouble().ToString("G" + gp, CultureInfo.InvariantCulture) : GoFloat(n.AsDouble());
        }
    }

    internal static string FormatRadix(System.Numerics.BigInteger value, int radix)
    {
        if (value.IsZero)
        {
            return "0";
        }

        var neg = value.Sign < 0;
        var v = System.Numerics.BigInteger.Abs(value);
        var sb = new StringBuilder();
        while (!v.IsZero)
        {
            var digit = (int)(v % radix);
            sb.Insert(0, "0123456789abcdef"[digit]);
            v /= radix;
        }

        return (neg ? "-" : string.Empty) + sb;
    }
}
