using System.Numerics;
using System.Text.RegularExpressions;
using BalticAI.Sovereignty.Rego.Values;
using static BalticAI.Sovereignty.Rego.Builtins.Args;

namespace BalticAI.Sovereignty.Rego.Builtins;

/// <summary>Units, semantic versions, graphs and builtins that exist only to be replaced with `with`.</summary>
internal static partial class BuiltinRegistry
{
    private static readonly Dictionary<string, decimal> DecimalUnits = new(StringComparer.Ordinal)
    {
        [""] = 1m, ["k"] = 1e3m, ["m"] = 1e6m, ["g"] = 1e9m, ["t"] = 1e12m, ["p"] = 1e15m, ["e"] = 1e18m,
        ["ki"] = 1024m, ["mi"] = 1048576m, ["gi"] = 1073741824m, ["ti"] = 1099511627776m, ["pi"] = 1125899906842624m, ["ei"] = 1152921504606846976m,
    };

    private static void RegisterMisc()
    {
        Add("units.parse", 1, a => ParseUnits(Str(a, 0), bytes: false));
        Add("units.parse_bytes", 1, a => ParseUnits(Str(a, 0), bytes: true));
        Add("semver.is_valid", 1, a => BoolValue.Of(a[0] is StringValue s && SemVer.TryParse(s.Value, out _)));
        Add("semver.compare", 2, a =>
        {
            var x = SemVer.TryParse(Str(a, 0), out var v1) ? v1 : throw BuiltinException.Error($"operand 1: string {ValueFormatter.ToJson(a[0])} is not a valid SemVer");
            var y = SemVer.TryParse(Str(a, 1), out var v2) ? v2 : throw BuiltinException.Error($"operand 2: string {ValueFormatter.ToJson(a[1])} is not a valid SemVer");
            return N(x.CompareTo(y));
        });
        Add("graph.reachable", 2, a => Reachable(Obj(a, 0), Collection(a, 1)));
        Add("walk", 1, _ => throw BuiltinException.Error("walk is evaluated by the engine"));
        Add("print", -1, _ => BoolValue.True);
        Add("trace", 1, _ => BoolValue.True);
        Add("opa.runtime", 0, _ => ObjectValue.Empty);
        Add("http.send", 1, _ => throw BuiltinException.Error("network access is disabled in this engine; replace http.send using `with`"));
        Add("io.jwt.decode_verify", 2, _ => throw BuiltinException.Error("not supported by this engine; replace it using `with`"));
        Add("io.jwt.decode", 1, _ => throw BuiltinException.Error("not supported by this engine; replace it using `with`"));
        Add("test.sleep", 1, a => BoolValue.True);
    }

    private static Value ParseUnits(string s, bool bytes)
    {
        s = s.Replace("\"", string.Empty, StringComparison.Ordinal);
        if (s.Contains(' ', StringComparison.Ordinal))
        {
            throw BuiltinException.Error("spaces not allowed in resource strings");
        }

        var m = Regex.Match(s, @"^([-+]?[0-9]*\.?[0-9]*(?:[eE][-+]?[0-9]+)?)([a-zA-Z]*)$");
        if (!m.Success || m.Groups[1].Value.TrimStart('-', '+') is "" or ".")
        {
            throw BuiltinException.Error(m.Success ? "no amount provided" : "could not parse amount to a number");
        }

        var num = NumberValue.Parse(Regex.Replace(m.Groups[1].Value.TrimStart('+'), @"^(-?)\.", "${1}0.")) ?? throw BuiltinException.Error("could not parse amount to a number");
        var unit = m.Groups[2].Value;
        if (bytes && unit.EndsWith("b", StringComparison.OrdinalIgnoreCase))
        {
            unit = unit[..^1];
        }

        NumberValue multiplier;
        if (!bytes && unit == "m")
        {
            multiplier = NumberValue.Of(0.001m);
        }
        else if (DecimalUnits.TryGetValue(unit.ToLowerInvariant(), out var mul))
        {
            multiplier = NumberValue.Of(mul);
        }
        else
        {
            throw BuiltinException.Error($"unknown unit: {m.Groups[2].Value}");
        }

        var result = NumberMath.Mul(num, multiplier);
        // OPA's builtinNumBytes takes big.Float.Int of the product, which truncates towards zero.
        return bytes ? NumberMath.Round(result, MidpointRounding.ToZero) : result;
    }

    private static SetValue Reachable(ObjectValue graph, IReadOnlyList<Value> initial)
    {
        var seen = new HashSet<Value>();
        var queue = new Queue<Value>(initial);
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            if (!seen.Add(node))
            {
                continue;
            }

            if (graph.Get(node) is ArrayValue or SetValue)
            {
                Evaluation.Evaluator.Iterate(graph.Get(node)!, (_, v) =>
                {
                    queue.Enqueue(v);
                    return false;
                });
            }
        }

        return new SetValue(seen);
    }

    /// <summary>Semantic Versioning 2.0.0: major.minor.patch, optional -prerelease and +build; digits are ASCII.</summary>
    private sealed record SemVer(BigInteger Major, BigInteger Minor, BigInteger Patch, string[] Pre) : IComparable<SemVer>
    {
        private static readonly Regex Pattern = new(@"^v?(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-((?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?\z");

        public static bool TryParse(string s, out SemVer v)
        {
            var m = Pattern.Match(s);
            v = null!;
            if (!m.Success || s.StartsWith('v'))
            {
                return false;
            }

            v = new SemVer(BigInteger.Parse(m.Groups[1].Value), BigInteger.Parse(m.Groups[2].Value), BigInteger.Parse(m.Groups[3].Value),
                m.Groups[4].Success ? m.Groups[4].Value.Split('.') : []);
            return true;
        }

        public int CompareTo(SemVer? o)
        {
            var c = Major.CompareTo(o!.Major);
            c = c != 0 ? c : Minor.CompareTo(o.Minor);
            c = c != 0 ? c : Patch.CompareTo(o.Patch);
            if (c != 0)
            {
                return Math.Sign(c);
            }

            if (Pre.Length == 0 || o.Pre.Length == 0)
            {
                return Pre.Length == o.Pre.Length ? 0 : Pre.Length == 0 ? 1 : -1;
            }

            for (var i = 0; i < Math.Min(Pre.Length, o.Pre.Length); i++)
            {
                var an = Pre[i].All(char.IsAsciiDigit) & BigInteger.TryParse(Pre[i], out var ai);
                var bn = o.Pre[i].All(char.IsAsciiDigit) & BigInteger.TryParse(o.Pre[i], out var bi);
                c = an && bn ? ai.CompareTo(bi) : an ? -1 : bn ? 1 : string.CompareOrdinal(Pre[i], o.Pre[i]);
                if (c != 0)
                {
                    return Math.Sign(c);
                }
            }

            return Pre.Length.CompareTo(o.Pre.Length);
        }
    }
}
