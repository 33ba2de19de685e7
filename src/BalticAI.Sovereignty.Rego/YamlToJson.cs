using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace BalticAI.Sovereignty.Rego;

/// <summary>
/// YAML to JSON as OPA converts it, for yaml.unmarshal and yaml.is_valid (topdown/encoding.go) and for the .yaml data
/// files `opa test` loads (loader.loadYAML): both go through sigs.k8s.io/yaml's YAMLToJSON, which decodes with go-yaml
/// v2 and so types plain scalars as YAML 1.1 does. Besides true/false, yes/no, on/off and y/n (only the case forms
/// go-yaml lists) are booleans; ~, null and an empty value are null; integers may be hex (0x), octal (0o, or a leading
/// 0), binary (0b) and carry underscores; anything else, dates included, stays a string, as does every quoted scalar.
/// Only the first document is read, as go-yaml's Unmarshal reads it; mapping keys become strings.
/// </summary>
public static partial class YamlToJson
{
    private static readonly HashSet<string> True = ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"];
    private static readonly HashSet<string> False = ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"];
    private static readonly HashSet<string> Null = ["", "~", "null", "Null", "NULL"];

    /// <summary>go-yaml resolves these to floats JSON cannot hold, so the conversion fails on them.</summary>
    private static readonly Dictionary<string, string> NotFinite = new()
    {
        [".nan"] = "NaN", [".NaN"] = "NaN", [".NAN"] = "NaN",
        [".inf"] = "+Inf", [".Inf"] = "+Inf", [".INF"] = "+Inf", ["+.inf"] = "+Inf", ["+.Inf"] = "+Inf", ["+.INF"] = "+Inf",
        ["-.inf"] = "-Inf", ["-.Inf"] = "-Inf", ["-.INF"] = "-Inf",
    };

    /// <summary>go-yaml v2 tries strconv.ParseInt with base 0: a sign, then a base prefix or a leading 0 for octal.</summary>
    [GeneratedRegex("^([-+]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]([0-7]+)|0[bB]([01]+)|(0[0-7]*)|([1-9][0-9]*))$")]
    private static partial Regex IntPattern();

    /// <summary>go-yaml v2's yamlStyleFloat.</summary>
    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();

    /// <summary>Whether go-yaml would read <paramref name="text"/>, written plain, as something other than that string.</summary>
    public static bool ReadsAsNonString(string text) =>
        True.Contains(text) || False.Contains(text) || Null.Contains(text) || NotFinite.ContainsKey(text) || Number(text) != null;

    /// <exception cref="FormatException">
    /// Not YAML, or YAML with no JSON form, phrased as sigs.k8s.io/yaml phrases it: "error converting YAML to JSON: ...".
    /// </exception>
    public static JsonNode? Convert(string text)
    {
        var stream = new YamlStream();
        try
        {
            // FirstDocument parses too: an error it meets is the first document's, phrased the same.
            stream.Load(new StringReader(FirstDocument(text)));
        }
        catch (YamlException e)
        {
            // Go's yaml package says "yaml: line N: <problem>", the line within the input; YamlDotNet says where it was, then the problem.
            var problem = Regex.Replace(e.Message, @"^.*?While [^,]*, ", string.Empty).TrimEnd('.');
            problem = problem.Length > 0 ? char.ToLowerInvariant(problem[0]) + problem[1..] : "invalid YAML";
            var line = Math.Min(e.Start.Line, text.Split('\n').Length);
            throw new FormatException($"error converting YAML to JSON: yaml: line {line}: {problem}", e);
        }

        return stream.Documents.Count == 0 ? null : Node(stream.Documents[0].RootNode);
    }

    /// <summary>
    /// The text up to the end of its first document: go-yaml's Unmarshal parses no further, so what follows, broken or
    /// not, is never seen. A YamlException within the first document is thrown as YamlDotNet finds it.
    /// </summary>
    private static string FirstDocument(string text)
    {
        var parser = new Parser(new StringReader(text));
        while (parser.MoveNext())
        {
            if (parser.Current is DocumentEnd end)
            {
                return text[..(int)Math.Min(end.End.Index, text.Length)];
            }
        }

        return text;
    }

    private static JsonNode? Node(YamlNode node) => node switch
    {
        YamlMappingNode m => new JsonObject(m.Children.Select(kv => KeyValuePair.Create(Key(kv.Key), Node(kv.Value)))),
        YamlSequenceNode s => new JsonArray([.. s.Children.Select(Node)]),
        YamlScalarNode sc => Scalar(sc),
        _ => null,
    };

    /// <summary>A key as sigs.k8s.io/yaml writes it in JSON: a string as itself, a number or boolean as its text.</summary>
    private static string Key(YamlNode key) => (key as YamlScalarNode is { } sc ? Scalar(sc) : null) switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v => v.ToJsonString(),
        _ => throw new FormatException($"error converting YAML to JSON: unsupported map key: {key}"),
    };

    private static JsonNode? Scalar(YamlScalarNode sc)
    {
        var text = sc.Value ?? string.Empty;
        if (sc.Style != ScalarStyle.Plain || (sc.Tag.IsGlobal && sc.Tag.Value == "tag:yaml.org,2002:str"))
        {
            return JsonValue.Create(text);
        }

        if (True.Contains(text) || False.Contains(text))
        {
            return JsonValue.Create(True.Contains(text));
        }

        if (Null.Contains(text))
        {
            return null;
        }

        if (NotFinite.TryGetValue(text, out var go))
        {
            throw new FormatException($"error converting YAML to JSON: json: unsupported value: {go}");
        }

        return Number(text) ?? JsonValue.Create(text);
    }

    private static JsonNode? Number(string text)
    {
        if (text.Length == 0 || (!char.IsAsciiDigit(text[0]) && text[0] is not ('+' or '-' or '.')))
        {
            return null;
        }

        // go-yaml drops underscores before it parses a number that starts with a digit or a sign.
        var plain = text[0] == '.' ? text : text.Replace("_", string.Empty, StringComparison.Ordinal);
        if (IntPattern().Match(plain) is { Success: true } m)
        {
            var (digits, radix) = m.Groups[2].Success ? (m.Groups[2].Value, 16) : m.Groups[3].Success ? (m.Groups[3].Value, 8)
                : m.Groups[4].Success ? (m.Groups[4].Value, 2) : m.Groups[5].Success ? (m.Groups[5].Value, 8) : (m.Groups[6].Value, 10);
            var value = digits.Aggregate(BigInteger.Zero, (acc, c) => acc * radix + System.Convert.ToInt32(c.ToString(), 16));
            return JsonNode.Parse((m.Groups[1].Value == "-" ? -value : value).ToString(CultureInfo.InvariantCulture));
        }

        if (FloatPattern().IsMatch(plain) && double.TryParse(plain, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && double.IsFinite(f))
        {
            return JsonNode.Parse(f.ToString("R", CultureInfo.InvariantCulture));
        }

        return null;
    }
}
