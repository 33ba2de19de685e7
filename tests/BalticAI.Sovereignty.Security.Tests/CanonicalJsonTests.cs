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
}
