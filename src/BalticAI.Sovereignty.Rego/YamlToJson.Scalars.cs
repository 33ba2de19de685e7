using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace BalticAI.Sovereignty.Rego;

/// <summary>
/// Scalars as go-yaml v2's resolve.go types them and sigs.k8s.io/yaml then writes them: besides true/false, yes/no,
/// on/off and y/n (only the case forms go-yaml lists) are booleans; ~, null and an empty value are null; an integer may
/// be hex (0x), octal (0o, or a leading 0), binary (0b) and carry underscores, and is kept exactly up to 64 bits
/// (unsigned only without a sign); past that it is the float64 of its decimal reading if it reads as a float (so an
/// oversized "octal" 0777... is read as decimal digits) and a string otherwise (oversized 0x, 0o, 0b); dates and
/// everything else stay strings, as does every quoted scalar unless a tag says otherwise.
/// </summary>
public static partial class YamlToJson
{
    private const string TagPrefix = "tag:yaml.org,2002:";

    private static readonly HashSet<string> True = ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"];
    private static readonly HashSet<string> False = ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"];
    private static readonly HashSet<string> Null = ["", "~", "null", "Null", "NULL"];

    /// <summary>go-yaml resolves these to floats JSON cannot hold, so the conversion fails on them as values.</summary>
    private static readonly Dictionary<string, double> NotFinite = new()
    {
        [".nan"] = double.NaN, [".NaN"] = double.NaN, [".NAN"] = double.NaN,
        [".inf"] = double.PositiveInfinity, [".Inf"] = double.PositiveInfinity, [".INF"] = double.PositiveInfinity,
        ["+.inf"] = double.PositiveInfinity, ["+.Inf"] = double.PositiveInfinity, ["+.INF"] = double.PositiveInfinity,
        ["-.inf"] = double.NegativeInfinity, ["-.Inf"] = double.NegativeInfinity, ["-.INF"] = double.NegativeInfinity,
    };

    private enum Kind
    {
        String,
        Null,
        Bool,
        Int,
        Uint,
        Float,
    }

    /// <summary>A resolved scalar: its Go type and its JSON value (for a float, <see cref="Float"/> too).</summary>
    private readonly record struct Resolved(Kind Kind, JsonNode? Json, double Float = 0);

    /// <summary>strconv.ParseInt and ParseUint with base 0: a sign, then a base prefix or a leading 0 for octal.</summary>
    [GeneratedRegex("^([-+]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]([0-7]+)|0[bB]([01]+)|(0[0-7]*)|([1-9][0-9]*))$")]
    private static partial Regex IntPattern();

    /// <summary>go-yaml v2's yamlStyleFloat.</summary>
    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();

    /// <summary>Whether go-yaml would read <paramref name="text"/>, written plain, as something other than that string.</summary>
    public static bool ReadsAsNonString(string text) => Resolve(text).Kind != Kind.String;

    /// <summary>A scalar value: resolved if plain and untagged or tagged with a type, a string otherwise.</summary>
    private static JsonNode? ScalarValue(Scalar scalar)
    {
        var resolved = Tagged(scalar);
        return resolved.Kind == Kind.Float && !double.IsFinite(resolved.Float)
            ? throw Error($"json: unsupported value: {(double.IsNaN(resolved.Float) ? "NaN" : resolved.Float > 0 ? "+Inf" : "-Inf")}")
            : resolved.Json;
    }

    /// <summary>A key as sigs.k8s.io/yaml writes it in JSON: a string as itself, an int in decimal, a float as float32 %g.</summary>
    private static string KeyText(Scalar scalar)
    {
        var resolved = Tagged(scalar);
        return resolved.Kind switch
        {
            Kind.String => resolved.Json!.GetValue<string>(),
            Kind.Bool or Kind.Int => resolved.Json!.ToJsonString(),
            Kind.Float => GoFloat32(resolved.Float),
            Kind.Uint => throw Error($"unsupported map key of type: uint64, key: 0x{ulong.Parse(resolved.Json!.ToJsonString(), CultureInfo.InvariantCulture):x}"),
            _ => throw Error("unsupported map key of type: <nil>, key: <nil>"),
        };
    }

    /// <summary>
    /// go-yaml's decoder: a quoted or block scalar with no tag is a string; !!str, !!timestamp and tags of no YAML type
    /// leave the text; !!binary decodes base64; !!bool, !!int, !!float and !!null resolve the text, which must then be
    /// of that type (an int may be a float).
    /// </summary>
    private static Resolved Tagged(Scalar scalar)
    {
        var text = scalar.Value;
        if (scalar.Tag.IsEmpty)
        {
            return scalar.Style == ScalarStyle.Plain ? Resolve(text) : new Resolved(Kind.String, JsonValue.Create(text));
        }

        var tag = scalar.Tag.Value.StartsWith(TagPrefix, StringComparison.Ordinal) ? scalar.Tag.Value[TagPrefix.Length..] : null;
        var want = tag switch
        {
            "bool" => Kind.Bool,
            "int" => Kind.Int,
            "float" => Kind.Float,
            "null" => Kind.Null,
            "binary" => Kind.String,
            _ => (Kind?)null,
        };
        if (want is null)
        {
            return new Resolved(Kind.String, JsonValue.Create(text));
        }

        if (tag == "binary")
        {
            try
            {
                return new Resolved(Kind.String, JsonValue.Create(Encoding.UTF8.GetString(System.Convert.FromBase64String(text))));
            }
            catch (FormatException)
            {
                throw Error("yaml: !!binary value contains invalid base64 data");
            }
        }

        var resolved = Resolve(text);
        return resolved.Kind == want || (want == Kind.Int && resolved.Kind == Kind.Uint) ? resolved
            : want == Kind.Float && resolved.Kind == Kind.Int ? FloatOf(double.Parse(resolved.Json!.ToJsonString(), CultureInfo.InvariantCulture))
            : throw Error($"yaml: cannot decode !!{GoTag(resolved.Kind)} `{text}` as a !!{tag}");
    }

    private static string GoTag(Kind kind) => kind switch
    {
        Kind.String => "str",
        Kind.Uint => "int",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>go-yaml v2's resolve for a plain scalar with no tag.</summary>
    private static Resolved Resolve(string text)
    {
        if (True.Contains(text) || False.Contains(text))
        {
            return new Resolved(Kind.Bool, JsonValue.Create(True.Contains(text)));
        }

        if (Null.Contains(text))
        {
            return new Resolved(Kind.Null, null);
        }

        if (NotFinite.TryGetValue(text, out var special))
        {
            return new Resolved(Kind.Float, null, special);
        }

        if (!char.IsAsciiDigit(text[0]) && text[0] is not ('+' or '-' or '.'))
        {
            return new Resolved(Kind.String, JsonValue.Create(text));
        }

        // A leading '.' goes to strconv.ParseFloat as written; a digit or sign first has its underscores dropped.
        var plain = text[0] == '.' ? text : text.Replace("_", string.Empty, StringComparison.Ordinal);
        if (IntPattern().Match(plain) is { Success: true } m)
        {
            var (digits, radix) = m.Groups[2].Success ? (m.Groups[2].Value, 16) : m.Groups[3].Success ? (m.Groups[3].Value, 8)
                : m.Groups[4].Success ? (m.Groups[4].Value, 2) : m.Groups[5].Success ? (m.Groups[5].Value, 8) : (m.Groups[6].Value, 10);
            var magnitude = digits.Aggregate(BigInteger.Zero, (acc, c) => (acc * radix) + System.Convert.ToInt32(c.ToString(), 16));
            var value = m.Groups[1].Value == "-" ? -magnitude : magnitude;
            if (value >= long.MinValue && value <= long.MaxValue)
            {
                return new Resolved(Kind.Int, JsonNode.Parse(value.ToString(CultureInfo.InvariantCulture)));
            }

            // ParseUint takes no sign, so "+18446744073709551615" is past it too.
            if (m.Groups[1].Value.Length == 0 && value <= ulong.MaxValue)
            {
                return new Resolved(Kind.Uint, JsonNode.Parse(value.ToString(CultureInfo.InvariantCulture)));
            }
        }

        if (FloatPattern().IsMatch(plain) && double.TryParse(plain, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && double.IsFinite(f))
        {
            return FloatOf(f);
        }

        return new Resolved(Kind.String, JsonValue.Create(text));
    }

    private static Resolved FloatOf(double f) => new(Kind.Float, JsonNode.Parse(f.ToString("R", CultureInfo.InvariantCulture)), f);

    /// <summary>
    /// strconv.FormatFloat(f, 'g', -1, 32), as sigs.k8s.io/yaml writes a float key: the shortest digits of the float32,
    /// exponent form when the exponent is below -4 or at least 6 (`1e+06`), infinities and NaN as YAML spells them.
    /// </summary>
    private static string GoFloat32(double value)
    {
        var f = (float)value;
        if (float.IsNaN(f))
        {
            return ".nan";
        }

        if (float.IsInfinity(f))
        {
            return f > 0 ? ".inf" : "-.inf";
        }

        var negative = f < 0 || (f == 0 && float.IsNegative(f));
        if (f == 0)
        {
            return negative ? "-0" : "0";
        }

        // Decompose the shortest round-trip text into its digits and the position of the decimal point.
        var text = Math.Abs(f).ToString("R", CultureInfo.InvariantCulture).ToLowerInvariant();
        var e = text.IndexOf('e', StringComparison.Ordinal);
        var exponent = e < 0 ? 0 : int.Parse(text[(e + 1)..], CultureInfo.InvariantCulture);
        var mantissa = e < 0 ? text : text[..e];
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var point = (dot < 0 ? mantissa.Length : dot) + exponent;
        var all = mantissa.Replace(".", string.Empty, StringComparison.Ordinal);
        var trimmed = all.TrimStart('0');
        point -= all.Length - trimmed.Length;
        var digits = trimmed.TrimEnd('0');

        var exp = point - 1;
        var body = exp < -4 || exp >= 6
            ? $"{digits[0]}{(digits.Length > 1 ? "." + digits[1..] : "")}e{(exp < 0 ? '-' : '+')}{Math.Abs(exp):00}"
            : point <= 0 ? $"0.{new string('0', -point)}{digits}"
            : point >= digits.Length ? digits + new string('0', point - digits.Length)
            : $"{digits[..point]}.{digits[point..]}";
        return negative ? "-" + body : body;
    }
}
