using System.Text;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Security;

namespace BalticAI.Sovereignty.Security.Tests;

public sealed class CanonicalObjectBuilderTests
{
    public static TheoryData<string> Objects => new()
    {
        "{}",
        """{"z":1,"a":"x","m":null}""",
        """{"data":{"event":{"input":{"a":[1,2.5,-3e-7,1e21]}},"actor":null},"feedseq":9007199254740993,"id":"e"}""",
        // UTF-16 order, not UTF-8: U+E000 sorts after the surrogates of U+1F600 in UTF-16, before them in UTF-8.
        """{"\uE000":1,"😀":2,"é":3,"f":4}""",
        """{"\"quoted\"":"back\\slash \u0001","new\nline":true,"tab\t":false}""",
    };

    [Theory]
    [MemberData(nameof(Objects))]
    public void Members_given_canonical_make_the_canonical_form_of_the_whole_object(string json)
    {
        var obj = JsonNode.Parse(json)!.AsObject();
        var builder = new CanonicalObjectBuilder();
        foreach (var (name, value) in obj)
        {
            builder.Add(name, CanonicalJson.Serialize(value));
        }

        Encoding.UTF8.GetString(builder.ToArray()).ShouldBe(Encoding.UTF8.GetString(CanonicalJson.Serialize(obj)));
    }

    [Fact]
    public void Strings_integers_and_nested_objects_are_written_as_RFC_8785_writes_them()
    {
        var built = new CanonicalObjectBuilder()
            .AddString("s", "say \"hi\"\n\u001f é 😀")
            .AddString("n", null)
            .AddInteger("i", -42)
            .AddInteger("big", 9_007_199_254_740_993)
            .AddObject("o", new CanonicalObjectBuilder().AddString("z", "1").AddInteger("a", 2))
            .AddObject("none", null)
            .ToArray();

        var expected = new JsonObject
        {
            ["s"] = "say \"hi\"\n\u001f é 😀", ["n"] = null, ["i"] = -42, ["big"] = 9_007_199_254_740_993,
            ["o"] = new JsonObject { ["z"] = "1", ["a"] = 2 }, ["none"] = null,
        };
        Encoding.UTF8.GetString(built).ShouldBe(Encoding.UTF8.GetString(CanonicalJson.Serialize(expected)));
        Encoding.UTF8.GetString(built).ShouldContain("\"big\":9007199254740992");
    }

    [Fact]
    public void A_name_given_twice_is_refused()
    {
        var builder = new CanonicalObjectBuilder().AddString("a", "1").AddInteger("b", 2).AddString("a", "3");

        Should.Throw<InvalidOperationException>(() => builder.ToArray()).Message.ShouldContain("\"a\"");
    }

    [Fact]
    public void An_empty_value_is_refused()
    {
        Should.Throw<ArgumentException>(() => new CanonicalObjectBuilder().Add("a", ReadOnlyMemory<byte>.Empty));
    }
}
