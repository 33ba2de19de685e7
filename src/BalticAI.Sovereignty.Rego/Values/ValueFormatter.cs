using System.Globalization;
using System.Text;

namespace BalticAI.Sovereignty.Rego.Values;

/// <summary>Text forms of values: Rego syntax (as OPA prints terms) and JSON (as Go's encoding/json writes it).</summary>
internal static class ValueFormatter
{
    public static string ToRego(Value v)
    {
        var sb = new StringBuilder();
        WriteRego(sb, v);
        return sb.ToString();
    }

    public static string ToJson(Value v, bool pretty = false) => pretty ? ToJsonIndented(v, string.Empty, "  ") : ToJsonCompact(v);

    private static string ToJsonCompact(Value v)
    {
        var sb = new StringBuilder();
        WriteJson(sb, v, null, 0);
        return sb.ToString();
    }

    /// <summary>Like Go's json.MarshalIndent, with the prefix also starting the first line.</summary>
    public static string ToJsonIndented(Value v, string prefix, string indent)
    {
        var sb = new StringBuilder(prefix);
        WriteJson(sb, v, new Indent(prefix, indent), 0);
        return sb.ToString();
    }

    private sealed record Indent(string Prefix, string Unit);

    private static void WriteRego(StringBuilder sb, Value v)
    {
        switch (v)
        {
            case ArrayValue a:
                sb.Append('[');
                for (var i = 0; i < a.Items.Length; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(", ");
                    }

                    WriteRego(sb, a.Items[i]);
                }

                sb.Append(']');
                break;
            case SetValue s when s.Count == 0:
                sb.Append("set()");
                break;
            case SetValue s:
                sb.Append('{');
                var first = true;
                foreach (var item in s.Sorted)
                {
                    if (!first)
                    {
                        sb.Append(", ");
                    }

                    first = false;
                    WriteRego(sb, item);
                }

                sb.Append('}');
                break;
            case ObjectValue o:
                sb.Append('{');
                var firstKey = true;
                foreach (var k in o.Keys)
                {
                    if (!firstKey)
                    {
                        sb.Append(", ");
                    }

                    firstKey = false;
                    WriteRego(sb, k);
                    sb.Append(": ");
                    WriteRego(sb, o.Map[k]);
                }

                sb.Append('}');
                break;
            default:
                WriteJson(sb, v, null, 0);
                break;
        }
    }

    private static void WriteJson(StringBuilder sb, Value v, Indent? indent, int depth)
    {
        switch (v)
        {
            case NullValue:
                sb.Append("null");
                break;
            case BoolValue b:
                sb.Append(b.Value ? "true" : "false");
                break;
            case NumberValue n:
                sb.Append(n.ToJsonText());
                break;
            case StringValue s:
                WriteString(sb, s.Value);
                break;
            case ArrayValue a:
                WriteSequence(sb, a.Items, indent, depth);
                break;
            case SetValue s:
                WriteSequence(sb, s.Sorted, indent, depth);
                break;
            case ObjectValue o:
                WriteObject(sb, o, indent, depth);
                break;
        }
    }

    private static void WriteSequence(StringBuilder sb, IReadOnlyList<Value> items, Indent? indent, int depth)
    {
        sb.Append('[');
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            NewLine(sb, indent, depth + 1);
            WriteJson(sb, items[i], indent, depth + 1);
        }

        if (items.Count > 0)
        {
            NewLine(sb, indent, depth);
        }

        sb.Append(']');
    }

    private static void WriteObject(StringBuilder sb, ObjectValue o, Indent? indent, int depth)
    {
        sb.Append('{');
        var entries = o.Keys.Select(k => (Key: k is StringValue s ? s.Value : ToJsonCompact(k), Value: o.Map[k]))
            .OrderBy(e => e.Key, StringComparer.Ordinal).ToList();
        for (var i = 0; i < entries.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            NewLine(sb, indent, depth + 1);
            WriteString(sb, entries[i].Key);
            sb.Append(indent == null ? ":" : ": ");
            WriteJson(sb, entries[i].Value, indent, depth + 1);
        }

        if (entries.Count > 0)
        {
            NewLine(sb, indent, depth);
        }

        sb.Append('}');
    }

    private static void NewLine(StringBuilder sb, Indent? indent, int depth)
    {
        if (indent != null)
        {
            sb.Append('\n').Append(indent.Prefix);
            for (var i = 0; i < depth; i++)
            {
                sb.Append(indent.Unit);
            }
        }
    }

    public static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '<' or '>' or '&' or '\u2028' or '\u2029':
                    sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    if (c < 0x20)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
    }
}
