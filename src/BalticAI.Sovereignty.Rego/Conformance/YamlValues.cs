using System.Text.RegularExpressions;
using BalticAI.Sovereignty.Rego.Values;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace BalticAI.Sovereignty.Rego.Conformance;

/// <summary>
/// YAML nodes to Rego values with YAML's core-schema scalar typing (plain scalars may be numbers etc.), for reading
/// OPA's conformance case files as they are written; yaml.unmarshal types as OPA does instead, see <see cref="YamlToJson"/>.
/// </summary>
internal static partial class YamlValues
{
    [GeneratedRegex(@"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"^0x[0-9a-fA-F]+$")]
    private static partial Regex HexPattern();

    public static Value Convert(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode m:
                var map = new Dictionary<Value, Value>();
                foreach (var (k, v) in m.Children)
                {
                    map[Convert(k)] = Convert(v);
                }

                return new ObjectValue(map);
            case YamlSequenceNode s:
                return new ArrayValue([.. s.Children.Select(Convert)]);
            case YamlScalarNode sc:
                return Scalar(sc);
            default:
                return NullValue.Instance;
        }
    }

    private static Value Scalar(YamlScalarNode sc)
    {
        var text = sc.Value ?? string.Empty;
        if (sc.Style != ScalarStyle.Plain)
        {
            return new StringValue(text);
        }

        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return NullValue.Instance;
            case "true" or "True" or "TRUE":
                return BoolValue.True;
            case "false" or "False" or "FALSE":
                return BoolValue.False;
        }

        if (NumberPattern().IsMatch(text) && NumberValue.Parse(text.TrimStart('+')) is { } n)
        {
            return n;
        }

        if (HexPattern().IsMatch(text))
        {
            return NumberValue.Of(System.Convert.ToInt64(text[2..], 16));
        }

        return new StringValue(text);
    }

}
