using System.Text;
using System.Text.RegularExpressions;

namespace BalticAI.Sovereignty.Rego.Values;

/// <summary>
/// Block-style YAML in the shape Go's yaml.v2 writes (what OPA's yaml.marshal produces): keys sorted,
/// sequences under a key not indented, strings quoted only when plain text would read as something else to go-yaml
/// (so `yes` is quoted, `yEs`, which go-yaml reads as a string, is not).
/// </summary>
internal static partial class YamlWriter
{
    [GeneratedRegex(@"^[A-Za-z_/][A-Za-z0-9_ ./@-]*$")]
    private static partial Regex PlainString();

    public static string Write(Value v)
    {
        var sb = new StringBuilder();
        if (IsEmptyOrScalar(v))
        {
            sb.Append(Scalar(v)).Append('\n');
        }
        else
        {
            WriteBlock(sb, v, 0);
        }

        return sb.ToString();
    }

    private static bool IsEmptyOrScalar(Value v) => v switch
    {
        ArrayValue a => a.Count == 0,
        SetValue s => s.Count == 0,
        ObjectValue o => o.Count == 0,
        _ => true,
    };

    private static void WriteBlock(StringBuilder sb, Value v, int indent)
    {
        var pad = new string(' ', indent);
        switch (v)
        {
            case ObjectValue o:
                foreach (var (key, value) in o.Keys.Select(k => (Key: k is StringValue s ? s.Value : ValueFormatter.ToJson(k), Value: o.Map[k])).OrderBy(e => e.Key, StringComparer.Ordinal))
                {
                    sb.Append(pad).Append(Str(key)).Append(':');
                    WriteValueAfterKey(sb, value, indent);
                }

                break;
            default:
                foreach (var item in v is SetValue set ? set.Sorted : ((ArrayValue)v).Items)
                {
                    sb.Append(pad).Append('-');
                    if (IsEmptyOrScalar(item))
                    {
                        sb.Append(' ').Append(Scalar(item)).Append('\n');
                    }
                    else if (item is ObjectValue)
                    {
                        // The first key shares the dash's line; the rest align under it.
                        var nested = new StringBuilder();
                        WriteBlock(nested, item, indent + 2);
                        sb.Append(' ').Append(nested.ToString(indent + 2, nested.Length - indent - 2));
                    }
                    else
                    {
                        sb.Append('\n');
                        WriteBlock(sb, item, indent + 2);
                    }
                }

                break;
        }
    }

    private static void WriteValueAfterKey(StringBuilder sb, Value value, int indent)
    {
        if (IsEmptyOrScalar(value))
        {
            sb.Append(' ').Append(Scalar(value)).Append('\n');
        }
        else
        {
            sb.Append('\n');
            WriteBlock(sb, value, value is ObjectValue ? indent + 2 : indent);
        }
    }

    private static string Scalar(Value v) => v switch
    {
        NullValue => "null",
        BoolValue b => b.Value ? "true" : "false",
        NumberValue n => n.ToJsonText(),
        StringValue s => Str(s.Value),
        ArrayValue or SetValue => "[]",
        _ => "{}",
    };

    private static string Str(string s)
    {
        if (PlainString().IsMatch(s) && !YamlToJson.ReadsAsNonString(s) && !s.EndsWith(' '))
        {
            return s;
        }

        var sb = new StringBuilder();
        ValueFormatter.WriteString(sb, s);
        return sb.ToString();
    }
}
