using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BalticAI.Sovereignty.Rego.Conformance;
using BalticAI.Sovereignty.Rego.Values;
using YamlDotNet.Serialization;
using static BalticAI.Sovereignty.Rego.Builtins.Args;

namespace BalticAI.Sovereignty.Rego.Builtins;

/// <summary>JSON, YAML, base64, hex, URL encodings and hashes.</summary>
internal static partial class BuiltinRegistry
{
    private static void RegisterEncoding()
    {
        Add("json.marshal", 1, a => S(ValueFormatter.ToJson(a[0])));
        Add("json.marshal_with_options", 2, MarshalWithOptions);
        Add("json.unmarshal", 1, a => ParseJson(Str(a, 0)));
        Add("json.is_valid", 1, a => BoolValue.Of(a[0] is StringValue s && TryParseJson(s.Value) != null));
        Add("yaml.marshal", 1, a => S(new SerializerBuilder().Build().Serialize(ToPlain(a[0]))));
        Add("yaml.unmarshal", 1, a => ParseYaml(Str(a, 0)));
        Add("yaml.is_valid", 1, a =>
        {
            if (a[0] is not StringValue s)
            {
                return BoolValue.False;
            }

            try
            {
                YamlValues.ParseDocument(s.Value);
                return BoolValue.True;
            }
            catch (YamlDotNet.Core.YamlException)
            {
                return BoolValue.False;
            }
        });
        Add("base64.encode", 1, a => S(Convert.ToBase64String(Encoding.UTF8.GetBytes(Str(a, 0)))));
        Add("base64.decode", 1, a => S(Encoding.UTF8.GetString(DecodeBase64(Str(a, 0), false) ?? throw BuiltinException.Error("illegal base64 data"))));
        Add("base64.is_valid", 1, a => BoolValue.Of(DecodeBase64(Str(a, 0), false) != null));
        Add("base64url.encode", 1, a => S(Convert.ToBase64String(Encoding.UTF8.GetBytes(Str(a, 0))).Replace('+', '-').Replace('/', '_')));
        Add("base64url.encode_no_pad", 1, a => S(Convert.ToBase64String(Encoding.UTF8.GetBytes(Str(a, 0))).Replace('+', '-').Replace('/', '_').TrimEnd('=')));
        Add("base64url.decode", 1, a => S(Encoding.UTF8.GetString(DecodeBase64(Str(a, 0), true) ?? throw BuiltinException.Error("illegal base64 data"))));
        Add("hex.encode", 1, a => S(Convert.ToHexStringLower(Encoding.UTF8.GetBytes(Str(a, 0)))));
        Add("hex.decode", 1, a =>
        {
            try
            {
                return S(Encoding.UTF8.GetString(Convert.FromHexString(Str(a, 0))));
            }
            catch (FormatException)
            {
                throw BuiltinException.Error("invalid hex");
            }
        });
        Add("urlquery.encode", 1, a => S(Uri.EscapeDataString(Str(a, 0)).Replace("%20", "+", StringComparison.Ordinal)));
        Add("urlquery.decode", 1, a => S(Uri.UnescapeDataString(Str(a, 0).Replace('+', ' '))));
        Add("crypto.sha256", 1, a => S(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Str(a, 0))))));
        Add("crypto.sha1", 1, a => S(Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(Str(a, 0))))));
        Add("crypto.md5", 1, a => S(Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(Str(a, 0))))));
    }

    private static Value MarshalWithOptions(Value[] a)
    {
        var opts = Obj(a, 1);
        var pretty = (bool?)null;
        string? prefix = null;
        string? indent = null;
        foreach (var (k, v) in opts.Map)
        {
            switch (k)
            {
                case StringValue { Value: "pretty" }:
                    pretty = v is BoolValue b ? b.Value : throw BuiltinException.Operand(2, "boolean pretty", v);
                    break;
                case StringValue { Value: "prefix" }:
                    prefix = v is StringValue p ? p.Value : throw BuiltinException.Operand(2, "string prefix", v);
                    break;
                case StringValue { Value: "indent" }:
                    indent = v is StringValue i ? i.Value : throw BuiltinException.Operand(2, "string indent", v);
                    break;
                default:
                    throw new BuiltinException(RegoErrorKind.EvalTypeError, $"object contained unknown key {ValueFormatter.ToJson(k)}");
            }
        }

        var usePretty = pretty ?? (prefix != null || indent != null);
        if (!usePretty)
        {
            return S(ValueFormatter.ToJson(a[0]));
        }

        return S(ValueFormatter.ToJsonIndented(a[0], prefix ?? string.Empty, indent ?? "\t"));
    }

    private static Value? TryParseJson(string s)
    {
        try
        {
            return JsonInterop.Parse(s);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Value ParseJson(string s)
    {
        try
        {
            return JsonInterop.Parse(s);
        }
        catch (JsonException e)
        {
            throw BuiltinException.Error(e.Message);
        }
    }

    private static Value ParseYaml(string s)
    {
        try
        {
            return YamlValues.ParseDocument(s);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw BuiltinException.Error($"yaml: line {e.Start.Line}: did not find expected node content ({e.Message})");
        }
    }

    private static byte[]? DecodeBase64(string s, bool url)
    {
        var t = url ? s.Replace('-', '+').Replace('_', '/') : s;
        if (url && t.Length % 4 != 0)
        {
            t = t.PadRight(t.Length + (4 - (t.Length % 4)), '=');
        }

        var buf = new byte[t.Length];
        return Convert.TryFromBase64String(t, buf, out var n) ? buf[..n] : null;
    }

    /// <summary>Plain .NET objects for YAML serialisation.</summary>
    private static object? ToPlain(Value v) => v switch
    {
        NullValue => null,
        BoolValue b => b.Value,
        NumberValue n => n.IsInteger ? n.Integer : n.IsDecimal ? n.Decimal : n.Double,
        StringValue s => s.Value,
        ArrayValue a => a.Items.Select(ToPlain).ToList(),
        SetValue s => s.Sorted.Select(ToPlain).ToList(),
        ObjectValue o => o.Keys.ToDictionary(k => k is StringValue ks ? ks.Value : ValueFormatter.ToJson(k), k => ToPlain(o.Map[k])),
        _ => null,
    };
}
