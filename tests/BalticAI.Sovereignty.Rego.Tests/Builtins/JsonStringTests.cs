using System.Text.Json.Nodes;

namespace BalticAI.Sovereignty.Rego.Tests.Builtins;

/// <summary>Go's encoding/json turns an escaped surrogate without its pair into U+FFFD instead of failing.</summary>
public sealed class JsonStringTests
{
    [Theory]
    [InlineData("json.unmarshal(`\"\\ud800\"`) == \"\\ufffd\"", "true")]
    [InlineData("json.unmarshal(`\"a\\udc00b\"`) == \"a\\ufffdb\"", "true")]
    [InlineData("json.unmarshal(`\"\\ud83d\\ude42\"`) == \"\U0001F642\"", "true")]
    [InlineData("json.unmarshal(`\"\\\\\\\"\\/\\t\\u00e4\"`) == \"\\\\\\\"/\\t\u00e4\"", "true")]
    public void Unpaired_escaped_surrogates_become_replacement_characters(string expr, string expected) => Eval.Expr(expr).ShouldBe(expected);

    [Fact]
    public void Input_with_an_unpaired_surrogate_evaluates()
    {
        var policy = RegoCompiler.Compile([new RegoModule("t.rego", "package t\n\nx := count(input.name)")]);
        policy.Evaluate("data.t.x", JsonNode.Parse("""{"name": "a\ud800"}""")).ToJson().ShouldBe("2");
    }
}
