using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BalticAI.Sovereignty.Rego.Values;
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
        Add("yaml.marshal", 1, a => S(YamlWriter.Write(a[0])));
        Add("yaml.unmarshal", 1, a => ParseYaml(Str(a, 0)));
        Add("yaml.is_valid", 1, a => BoolValue.Of(a[0] is StringValue s && TryParseYaml(s.Value)));
        Add("base64.encode", 1, a => S(Convert.ToBase64String(Encoding.UTF8.GetBytes(Str(a, 0)))));
        Add("base64.decode", 1, a => S(Encoding.UTF8.GetString(DecodeBase64(Str(a, 0), false) ?? throw Base64Error(Str(a, 0)))));
        Add("base64.is_valid", 1, a => BoolValue.Of(DecodeBase64(Str(a, 0), false) != null));
        Add("base64url.encode", 1, a => S(Convert.ToBase64String(Encoding.UTF8.GetBytes(Str(a, 0))).Replace('+', '-').Replace('/', '_')));
        Add("base64url.encode_no_pad", 1, a => S(Convert.ToBase64String(Encoding.UTF8.GetBytes(Str(a, 0))).Replace('+', '-').Replace('/', '_').TrimEnd('=')));
        Add("base64url.decode", 1, a => S(Encoding.UTF8.GetString(DecodeBase64(Str(a, 0), true) ?? throw Base64Error(Str(a, 0)))));
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

    /// <summary>As OPA's builtin: YAML to JSON as sigs.k8s.io/yaml converts it, failing with its error.</summary>
    private static Value ParseYaml(string s)
    {
        try
        {
            return JsonInterop.FromNode(YamlToJson.Convert(s));
        }
        catch (FormatException e)
        {
            throw BuiltinException.Error(e.Message);
        }
    }

    /// <summary>As OPA's yaml.is_valid: whatever yaml.unmarshal would convert without an error.</summary>
    private static bool TryParseYaml(string s)
    {
        try
        {
            YamlToJson.Convert(s);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Go's message: the offset of the first bad character, or of the incomplete last quantum.</summary>
    private static BuiltinException Base64Error(string s)
    {
        var bad = s.TakeWhile(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '-' or '_').Count();
        var offset = bad < s.Length && s[bad] != '=' ? bad : s.Length - (s.Length % 4);
        return BuiltinException.Error($"illegal base64 data at input byte {offset}");
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
}
