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

            var start = i;
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
            if (s.Length < width)
            {
                s = flags.Contains('-') ? s.PadRight(width) : (flags.Contains('0') && verb != 's' ? ZeroPad(s, width) : s.PadLeft(width));
            }

            sb.Append(s);
            _ = start;
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

    private static string GoTypeName(Value v) => v switch
    {
        StringValue => "string",
        NumberValue => "json.Number",
        BoolValue => "bool",
        _ => v.TypeName,
    };

    /// <summary>How OPA prints a value with %v: strings raw, everything else as Rego text.</summary>
    internal static string PlainString(Value v) => v is StringValue s ? s.Value : ValueFormatter.ToRego(v);

    private static string FormatVerb(char verb, Value v, int? precision, string flags)
    {
        switch (verb)
        {
            case 'v':
            case 's':
                var text = PlainString(v);
                return precision is { } p && verb == 's' && p < text.Length ? text[..p] : text;
            case 'q':
                var sb = new StringBuilder();
                ValueFormatter.WriteString(sb, PlainString(v));
                return sb.ToString();
            case 't':
                return v is BoolValue b ? (b.Value ? "true" : "false") : $"%!t({PlainString(v)})";
            case 'd':
                if (v is NumberValue { IsInteger: true } n)
                {
                    var d = n.Integer.ToString(CultureInfo.InvariantCulture);
                    return flags.Contains('+') && n.Sign >= 0 ? "+" + d : d;
                }

                return $"%!d({GoTypeName(v)}={PlainString(v)})";
            case 'f':
            case 'F':
            case 'e':
            case 'g':
                if (v is NumberValue num)
                {
                    return FormatFloat(verb, num, precision);
                }

                return $"%!{verb}({GoTypeName(v)}={PlainString(v)})";
            case 'x':
            case 'X':
            case 'o':
            case 'b':
                if (v is NumberValue { IsInteger: true } iv)
                {
                    var radix = verb is 'x' or 'X' ? 16 : verb == 'o' ? 8 : 2;
                    var r = FormatRadix(iv.Integer, radix);
                    return verb == 'X' ? r.ToUpperInvariant() : r;
                }

                if (v is StringValue sv && verb is 'x' or 'X')
                {
                    var hex = Convert.ToHexString(Encoding.UTF8.GetBytes(sv.Value));
                    return verb == 'x' ? hex.ToLowerInvariant() : hex;
                }

                return $"%!{verb}({GoTypeName(v)}={PlainString(v)})";
            default:
                return $"%!{verb}({GoTypeName(v)}={PlainString(v)})";
        }
    }

    private static string FormatFloat(char verb, NumberValue n, int? precision)
    {
        if (verb is 'f' or 'F')
        {
            var p = precision ?? 6;
            if (n.TryDecimal(out var d) && p <= 20)
            {
                return Math.Round(d, Math.Min(p, 28), MidpointRounding.ToEven).ToString("F" + p, CultureInfo.InvariantCulture);
            }

            return n.AsDouble().ToString("F" + p, CultureInfo.InvariantCulture);
        }

        if (verb == 'e')
        {
            var s = n.AsDouble().ToString((precision ?? 6) is var p2 ? "0." + new string('0', p2) + "e+00" : string.Empty, CultureInfo.InvariantCulture);
            return s;
        }

        return precision is { } gp ? n.AsDouble().ToString("G" + gp, CultureInfo.InvariantCulture) : n.ToJsonText();
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
