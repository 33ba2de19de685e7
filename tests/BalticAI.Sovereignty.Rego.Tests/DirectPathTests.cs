namespace BalticAI.Sovereignty.Rego.Tests;

/// <summary>
/// Terms and expressions with a single-valued collection take a path without continuations; these pin that
/// it gives what enumeration gives: undefined members make a set literal undefined, and `some x in`
/// visits arrays in order, objects by sorted key and sets in sorted order.
/// </summary>
public sealed class DirectPathTests
{
    private const string Policy = """
        package d

        s := {1, "a", [2]}

        missing := {1, input.absent}

        from_array := [x | some x in [3, 1, 2]]

        from_object := [x | some x in {"b": 2, "a": 1, "c": 3}]

        from_set := [x | some x in {"z", "y", 3}]

        pairs := [[x, y] | some x in [1, 2]; some y in {"q", "p"}]
        """;

    [Theory]
    [InlineData("data.d.s", """[1,"a",[2]]""")]
    [InlineData("data.d.from_array", "[3,1,2]")]
    [InlineData("data.d.from_object", "[1,2,3]")]
    [InlineData("data.d.from_set", """[3,"y","z"]""")]
    [InlineData("data.d.pairs", """[[1,"p"],[1,"q"],[2,"p"],[2,"q"]]""")]
    public void Single_valued_collections_give_what_enumeration_gives(string query, string expected) =>
        RegoCompiler.Compile([new RegoModule("d.rego", Policy)]).Evaluate(query).ToJson().ShouldBe(expected);

    [Fact]
    public void Set_literal_with_an_undefined_member_is_undefined() =>
        RegoCompiler.Compile([new RegoModule("d.rego", Policy)]).Evaluate("data.d.missing").IsDefined.ShouldBeFalse();
}
