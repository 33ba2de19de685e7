using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using BalticAI.Sovereignty.Security;

namespace BalticAI.Sovereignty.Security.Tests;

/// <summary>
/// Every entry point against a plain reading of RFC 8785 (sort with LINQ, escape char by char, encode
/// once), so that writing into reused buffers changes no byte. The documents cover escapes, non-ASCII,
/// surrogate pairs, number forms, nesting, objects wider than a small pooled array, and a string long
/// enough that the per-thread buffer grows and is then no longer kept.
/// </summary>
public sealed class CanonicalJsonReferenceTests
{
    private static readonly string[] Texts =
    [
        "{}",
        "[]",
        "\"\"",
        """{"b":[1,2.5,-0,0.1,1e21,1E-7,-3e-7,123456789012345678,9007199254740993,1.0,100,5e-324],"a":{"d":null,"c":true,"e":false}}""",
        """{"say \"hi\"":"back\\slash \b\f\n\r\t \u0001 \u001f \u007f end","new\nline":["\u0000","\\\""]}""",
        """{"\uE000":1,"😀":2,"é":3,"f":4,"€":"łódź 😀 \ud83d\ude00 中文","":"empty key"}""",
        """[{"z":{"y":{"x":[[],[{}],{"w":"deep"}]}}},[1,[2,[3,[4]]]],"tail"]""",
        "{" + string.Join(",", Enumerable.Range(0, 40).Select(i => $"\"k{(i * 7919) % 40:D2}\":{{\"v\":{i},\"s\":\"n{i}\\n\"}}")) + "}",
        "{\"long\":\"" + string.Concat(Enumerable.Repeat("ab\\\"ł😀\\u0002", 5000)) + "\",\"after\":1}",
    ];

    public static TheoryData<string> Documents => new(Texts);

    [Theory]
    [MemberData(nameof(Documents))]
    public void Every_entry_point_writes_the_reference_bytes(string json)
    {
        var expected = Reference(JsonNode.Parse(json));
        using var document = JsonDocument.Parse(json);

        CanonicalJson.Serialize(JsonNode.Parse(json)).ShouldBe(expected);
        CanonicalJson.Serialize(FromCode(JsonNode.Parse(json))).ShouldBe(expected);
        CanonicalJson.Serialize(document.RootElement).ShouldBe(expected);
        CanonicalJson.Serialize(json).ShouldBe(expected);
        CanonicalJson.Serialize(Encoding.UTF8.GetBytes(json).AsMemory()).ShouldBe(expected);
        CanonicalJson.Sha256(JsonNode.Parse(json)).ShouldBe("sha256:" + Convert.ToHexStringLower(SHA256.HashData(expected)));
        CanonicalJson.HashData(json).ShouldBe(SHA256.HashData(expected));
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void The_builder_writes_the_reference_bytes_from_strings_integers_elements_and_nested_builders(string json)
    {
        if (JsonNode.Parse(json) is not JsonObject obj)
        {
            return;
        }
        using var document = JsonDocument.Parse(json);

        Build(obj, document.RootElement).ToArray().ShouldBe(Reference(obj));
    }

    [Fact]
    public async Task Threads_canonicalising_at_once_each_get_their_own_bytes()
    {
        var expected = Texts.Select(d => Reference(JsonNode.Parse(d))).ToArray();

        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(() =>
        {
            var k = i % Texts.Length;
            return (k, CanonicalJson.Serialize(Texts[k]));
        })));

        foreach (var (k, bytes) in results)
        {
            bytes.ShouldBe(expected[k]);
        }
    }

    [Fact]
    public void Canonicalising_inside_a_canonicalisation_does_not_share_its_buffer()
    {
        // The converter canonicalises another document while the outer one is half written.
        var node = new JsonObject { ["b"] = JsonValue.Create(new Nested()), ["a"] = "before", ["c"] = "after" };

        Encoding.UTF8.GetString(CanonicalJson.Serialize(node))
            .ShouldBe("""{"a":"before","b":"{\"x\":1,\"y\":2}","c":"after"}""");
    }

    [JsonConverter(typeof(NestedConverter))]
    private sealed class Nested;

    private sealed class NestedConverter : JsonConverter<Nested>
    {
        public override Nested Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();

        public override void Write(Utf8JsonWriter writer, Nested value, JsonSerializerOptions options) =>
            writer.WriteStringValue(Encoding.UTF8.GetString(CanonicalJson.Serialize("""{"y":2,"x":1}""")));
    }

    private static CanonicalObjectBuilder Build(JsonObject obj, JsonElement element)
    {
        var builder = new CanonicalObjectBuilder();
        foreach (var property in element.EnumerateObject())
        {
            var value = obj[property.Name];
            _ = property.Value.ValueKind switch
            {
                JsonValueKind.String => builder.AddString(property.Name, property.Value.GetString()),
                JsonValueKind.Null => builder.AddString(property.Name, null),
                JsonValueKind.Number when property.Value.TryGetInt64(out var n) && Math.Abs(n) < 1L << 53 => builder.AddInteger(property.Name, n),
                JsonValueKind.Object => builder.AddObject(property.Name, Build(value!.AsObject(), property.Value)),
                JsonValueKind.Array => builder.AddCanonicalised(property.Name, property.Value),
                _ => builder.Add(property.Name, Reference(value)),
            };
        }
        return builder;
    }

    /// <summary>The same tree with CLR values, as code builds it (strings, longs, doubles, bools).</summary>
    private static JsonNode? FromCode(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, FromCode(p.Value)))),
        JsonArray array => new JsonArray(array.Select(FromCode).ToArray()),
        _ => node.GetValueKind() switch
        {
            JsonValueKind.String => JsonValue.Create(node.GetValue<string>()),
            JsonValueKind.Number when node.AsValue().TryGetValue<long>(out var n) => JsonValue.Create(n),
            JsonValueKind.Number => JsonValue.Create(node.GetValue<double>()),
            var kind => JsonValue.Create(kind == JsonValueKind.True),
        },
    };

    private static byte[] Reference(JsonNode? node)
    {
        var text = new StringBuilder();
        Append(text, node);
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static void Append(StringBuilder text, JsonNode? node)
    {
        switch (node)
        {
            case null:
                text.Append("null");
                break;
            case JsonObject obj:
                text.Append('{');
                text.AppendJoin(',', obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p =>
                {
                    var member = new StringBuilder();
                    AppendString(member, p.Key);
                    member.Append(':');
                    Append(member, p.Value);
                    return member.ToString();
                }));
                text.Append('}');
                break;
            case JsonArray array:
                text.Append('[');
                text.AppendJoin(',', array.Select(item =>
                {
                    var element = new StringBuilder();
                    Append(element, item);
                    return element.ToString();
                }));
                text.Append(']');
                break;
            default:
                switch (node.GetValueKind())
                {
                    case JsonValueKind.String:
                        AppendString(text, node.GetValue<string>());
                        break;
                    case JsonValueKind.Number:
                        text.Append(CanonicalJson.FormatNumber(double.Parse(node.ToJsonString(), CultureInfo.InvariantCulture)));
                        break;
                    default:
                        text.Append(node.ToJsonString());
                        break;
                }
                break;
        }
    }

    private static void AppendString(StringBuilder text, string value)
    {
        text.Append('"');
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\b' => "\\b",
                '\f' => "\\f",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                < ' ' => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }
        text.Append('"');
    }
}
