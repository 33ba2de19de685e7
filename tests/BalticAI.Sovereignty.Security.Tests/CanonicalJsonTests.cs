using System.Text;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Security;

namespace BalticAI.Sovereignty.Security.Tests;

public sealed class CanonicalJsonTests
{
    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(1.0, "1")]
    [InlineData(-1.5, "-1.5")]
    [InlineData(4.5, "4.5")]
    [InlineData(0.002, "0.002")]
    [InlineData(0.000001, "0.000001")]
    [InlineData(1e-7, "1e-7")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1e20, "100000000000000000000")]
    [InlineData(123456789012345680000.0, "123456789012345680000")]
    [InlineData(1e30, "1e+30")]
    [InlineData(9007199254740991.0, "9007199254740991")]
    [InlineData(333333333.3333333, "333333333.3333333")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    public void Numbers_follow_ecmascript(double value, string expected)
    {
        CanonicalJson.FormatNumber(value).ShouldBe(expected);
    }

    [Fact]
    public void Keys_are_sorted_by_utf16_code_units_so_surrogates_sort_after_bmp_characters()
    {
        var node = JsonNode.Parse("""{ "b": [1, 2.50, "x"], "a": {"\u20ac": 1, "\r": 2, "1": 3, "\ud83d\ude00": 4, "\u0080": 5}, "c": null }""");

        var text = Encoding.UTF8.GetString(CanonicalJson.Serialize(node));

        text.ShouldBe("{\"a\":{\"\\r\":2,\"1\":3,\"\u0080\":5,\"\u20ac\":1,\"\ud83d\ude00\":4},\"b\":[1,2.5,\"x\"],\"c\":null}");
    }

    [Fact]
    public void Strings_escape_only_what_rfc_8785_requires()
    {
        var node = new JsonObject { ["s"] = "quote\" back\\ tab\t nl\n ctl\u0001 slash/ é" };

        var text = Encoding.UTF8.GetString(CanonicalJson.Serialize(node));

        text.ShouldBe("{\"s\":\"quote\\\" back\\\\ tab\\t nl\\n ctl\\u0001 slash/ é\"}");
    }

    [Fact]
    public void Digest_is_stable_across_key_order()
    {
        CanonicalJson.Sha256(JsonNode.Parse("""{"x":1,"y":[true,false]}"""))
            .ShouldBe(CanonicalJson.Sha256(JsonNode.Parse("""{ "y" : [true, false], "x" : 1.0 }""")));
    }

    /// <summary>The example of RFC 8785 §3.2.3, through each entry point: node tree, element, and text.</summary>
    [Fact]
    public void The_rfc_8785_example_comes_out_the_same_from_every_entry_point()
    {
        const string input = """
            {
              "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
              "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
              "literals": [null, true, false]
            }
            """;
        const string expected = "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}";

        Encoding.UTF8.GetString(CanonicalJson.Serialize(JsonNode.Parse(input))).ShouldBe(expected);
        Encoding.UTF8.GetString(CanonicalJson.Serialize(System.Text.Json.JsonDocument.Parse(input).RootElement)).ShouldBe(expected);
        Encoding.UTF8.GetString(CanonicalJson.Serialize(input)).ShouldBe(expected);
    }

    [Fact]
    public void Values_set_from_code_are_written_as_their_parsed_text_would_be()
    {
        var built = new JsonObject
        {
            ["id"] = Guid.Parse("0193c6b4-5a1e-7b7a-9d3e-00000000b0d1"),
            ["at"] = DateTimeOffset.Parse("2026-11-29T02:11:34.1234567+00:00"),
            ["count"] = 9007199254740993L,
            ["small"] = -42,
            ["ratio"] = 0.1,
            ["flag"] = true,
            ["text"] = "tab\there \u00e9 \ud83d\ude00",
            ["nested"] = new JsonArray(1, "two", null, new JsonObject { ["z"] = 1, ["a"] = 2 }),
        };

        var reparsed = JsonNode.Parse(built.ToJsonString());

        CanonicalJson.Serialize(built).ShouldBe(CanonicalJson.Serialize(reparsed));
        CanonicalJson.Serialize(built).ShouldBe(CanonicalJson.Serialize(built.ToJsonString()));
        Encoding.UTF8.GetString(CanonicalJson.Serialize(built)).ShouldContain("\"count\":9007199254740992");
    }

    /// <summary>The text entry point copies unescaped names, strings and short integers as they are; everything else is re-formatted.</summary>
    [Theory]
    [InlineData("""{"\u0062":1,"a":2}""", """{"a":2,"b":1}""")]
    [InlineData("""{"b":"\u00e9\/x","a":"plain é"}""", """{"a":"plain é","b":"é/x"}""")]
    [InlineData("""[-0, 0, -12, 123456789012345, 1234567890123456789, 10.0, 1E2]""", """[0,0,-12,123456789012345,1234567890123456800,10,100]""")]
    [InlineData("""{"\ud83d\ude00":1,"\uffff":2,"z":3}""", "{\"z\":3,\"\ud83d\ude00\":1,\"\uffff\":2}")]
    public void Source_text_is_copied_only_where_it_is_already_canonical(string input, string expected)
    {
        Encoding.UTF8.GetString(CanonicalJson.Serialize(input)).ShouldBe(expected);
        CanonicalJson.Serialize(input).ShouldBe(CanonicalJson.Serialize(JsonNode.Parse(input)));
    }
}
