using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using BalticAI.Sovereignty.Rego.Values;
using static BalticAI.Sovereignty.Rego.Builtins.Args;

namespace BalticAI.Sovereignty.Rego.Builtins;

/// <summary>Bitwise integer operations, HMACs, CIDR expansion and URL query objects.</summary>
internal static partial class BuiltinRegistry
{
    private static void RegisterBits()
    {
        Add("bits.and", 2, a => NumberValue.Of(BigInt(a, 0) & BigInt(a, 1)));
        Add("bits.or", 2, a => NumberValue.Of(BigInt(a, 0) | BigInt(a, 1)));
        Add("bits.xor", 2, a => NumberValue.Of(BigInt(a, 0) ^ BigInt(a, 1)));
        Add("bits.negate", 1, a => NumberValue.Of(-BigInt(a, 0) - 1));
        Add("bits.lsh", 2, a => NumberValue.Of(BigInt(a, 0) << Shift(a, 1)));
        Add("bits.rsh", 2, a => NumberValue.Of(BigInt(a, 0) >> Shift(a, 1)));
        Add("crypto.hmac.md5", 2, a => S(Convert.ToHexStringLower(HMACMD5.HashData(Bytes(a, 1), Bytes(a, 0)))));
        Add("crypto.hmac.sha1", 2, a => S(Convert.ToHexStringLower(HMACSHA1.HashData(Bytes(a, 1), Bytes(a, 0)))));
        Add("crypto.hmac.sha256", 2, a => S(Convert.ToHexStringLower(HMACSHA256.HashData(Bytes(a, 1), Bytes(a, 0)))));
        Add("crypto.hmac.sha512", 2, a => S(Convert.ToHexStringLower(HMACSHA512.HashData(Bytes(a, 1), Bytes(a, 0)))));
        Add("crypto.hmac.equal", 2, a => BoolValue.Of(CryptographicOperations.FixedTimeEquals(Bytes(a, 0), Bytes(a, 1))));
        Add("urlquery.encode_object", 1, a =>
        {
            var parts = new List<string>();
            foreach (var k in Obj(a, 0).Keys)
            {
                var key = k is StringValue ks ? ks.Value : throw BuiltinException.Operand(1, "object[string: any]", a[0]);
                var v = Obj(a, 0).Map[k];
                IEnumerable<Value> values = v switch { ArrayValue arr => arr.Items, SetValue s => s.Sorted, _ => [v] };
                parts.AddRange(values.Select(x => QueryEscape(key) + "=" + QueryEscape(x is StringValue xs ? xs.Value : throw BuiltinException.Operand(1, "object[string: string|array|set]", a[0]))));
            }

            return S(string.Join('&', parts));
        });
        Add("urlquery.decode_object", 1, a =>
        {
            var map = new Dictionary<string, List<Value>>(StringComparer.Ordinal);
            foreach (var pair in Str(a, 0).Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=');
                var k = Uri.UnescapeDataString((eq < 0 ? pair : pair[..eq]).Replace('+', ' '));
                var v = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
                if (!map.TryGetValue(k, out var list))
                {
                    list = [];
                    map[k] = list;
                }

                list.Add(S(v));
            }

            return new ObjectValue(map.ToDictionary(kv => (Value)S(kv.Key), kv => (Value)new ArrayValue([.. kv.Value])));
        });
    }

    private static string QueryEscape(string s) => Uri.EscapeDataString(s).Replace("%20", "+", StringComparison.Ordinal);

    private static byte[] Bytes(Value[] a, int i) => Encoding.UTF8.GetBytes(Str(a, i));

    private static BigInteger BigInt(Value[] a, int i)
    {
        var n = Num(a, i);
        return n.IsInteger ? n.Integer : throw new BuiltinException(RegoErrorKind.EvalTypeError, $"operand {i + 1} must be integer number but got floating-point number");
    }

    private static int Shift(Value[] a, int i)
    {
        var n = BigInt(a, i);
        return n < 0 ? throw BuiltinException.Error($"operand {i + 1} must be an unsigned integer number") : n > 4096 ? throw BuiltinException.Error("shift too large") : (int)n;
    }
}
