using System.Text.Json;
using System.Text.Json.Nodes;

namespace BalticAI.Sovereignty.Rego.Values;

/// <summary>Conversion between System.Text.Json and Rego values. Numbers keep their exact text.</summary>
internal static class JsonInterop
{
    public static Value FromElement(JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                var map = new Dictionary<Value, Value>();
                foreach (var p in e.EnumerateObject())
                {
                    map[new StringValue(p.Name)] = FromElement(p.Value);
                }

                return new ObjectValue(map);
            case JsonValueKind.Array:
                var items = new Value[e.GetArrayLength()];
                var i = 0;
                foreach (var item in e.EnumerateArray())
                {
                    items[i++] = FromElement(item);
                }

                return new ArrayValue(items);
            case JsonValueKind.String:
                return new StringValue(StringOf(e));
            case JsonValueKind.Number:
                return NumberValue.Parse(e.GetRawText()) ?? throw new FormatException("invalid number " + e.GetRawText());
            case JsonValueKind.True:
                return BoolValue.True;
            case JsonValueKind.False:
                return BoolValue.False;
            default:
                return NullValue.Instance;
        }
    }

    private static string StringOf(JsonElement e)
    {
        try
        {
            return e.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return Unescape(e.GetRawText());
        }
    }

    /// <summary>
    /// The text of a JSON string token, as Go's encoding/json (OPA's json.unmarshal, input decoding) reads
    /// it: an escaped surrogate without its pair becomes U+FFFD. JsonElement.GetString throws on one instead.
    /// </summary>
    private static string Unescape(string raw)
    {
        var sb = new System.Text.StringBuilder(raw.Length);
        for (var i = 1; i < raw.Length - 1; i++)
        {
            var c = raw[i];
            if (c == '\\')
            {
                c = raw[++i] switch
                {
                    'b' => '\b', 'f' => '\f', 'n' => '\n', 'r' => '\r', 't' => '\t',
                    'u' => (char)int.Parse(raw.AsSpan(i + 1, 4), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture),
                    var other => other,
                };
                i += raw[i] == 'u' ? 4 : 0;
            }

            sb.Append(c);
        }

        for (var i = 0; i < sb.Length; i++)
        {
            if (char.IsHighSurrogate(sb[i]) && i + 1 < sb.Length && char.IsLowSurrogate(sb[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(sb[i]))
            {
                sb[i] = '\uFFFD';
            }
        }

        return sb.ToString();
    }

    public static Value FromNode(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return NullValue.Instance;
            case JsonObject o:
                var map = new Dictionary<Value, Value>(o.Count);
                for (var i = 0; i < o.Count; i++)
                {
                    // Indexed: JsonObject's enumerator is returned boxed, one allocation per object.
                    var (k, v) = o.GetAt(i);
                    map[new StringValue(k)] = FromNode(v);
                }

                return new ObjectValue(map);
            case JsonArray a:
                var items = new Value[a.Count];
                for (var i = 0; i < items.Length; i++)
                {
                    items[i] = FromNode(a[i]);
                }

                return new ArrayValue(items);
            case JsonValue v:
                return FromJsonValue(v);
            default:
                return NullValue.Instance;
        }
    }

    private static Value FromJsonValue(JsonValue v)
    {
        // Parsed nodes hold a JsonElement. Asked first: asking a parsed node for a string boxes its element.
        if (v.TryGetValue<JsonElement>(out var el))
        {
            return FromElement(el);
        }

        if (v.TryGetValue<string>(out var s))
        {
            return new StringValue(s);
        }

        if (v.TryGetValue<bool>(out var b))
        {
            return BoolValue.Of(b);
        }

        if (v.TryGetValue<long>(out var l))
        {
            return NumberValue.Of(l);
        }

        if (v.TryGetValue<decimal>(out var d))
        {
            return NumberValue.Of(d);
        }

        if (v.TryGetValue<double>(out var f))
        {
            return NumberValue.Of(f) ?? (Value)NullValue.Instance;
        }

        return FromElement(JsonSerializer.SerializeToElement(v));
    }

    public static Value Parse(string json)
    {
        using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 512 });
        return FromElement(doc.RootElement);
    }

    public static JsonNode? ToNode(Value v) => JsonNode.Parse(ValueFormatter.ToJson(v), documentOptions: new JsonDocumentOptions { MaxDepth = 512 });
}
