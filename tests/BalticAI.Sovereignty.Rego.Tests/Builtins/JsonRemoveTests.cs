namespace BalticAI.Sovereignty.Rego.Tests.Builtins;

/// <summary>json.remove walks arrays and sets too (OPA v1/topdown/json.go, jsonRemove).</summary>
public sealed class JsonRemoveTests
{
    [Theory]
    [InlineData("json.remove({\"a\": [1, 2, 3]}, [\"a/1\"])", "{\"a\":[1,3]}")]
    [InlineData("json.remove({\"a\": [{\"b\": 1, \"c\": 2}]}, [\"a/0/b\"])", "{\"a\":[{\"c\":2}]}")]
    [InlineData("json.remove({\"a\": [1, 2, 3]}, [[\"a\", \"2\"], \"a/0\"])", "{\"a\":[2]}")]
    [InlineData("json.remove({\"a\": [1, 2]}, [[\"a\", 1]])", "{\"a\":[1,2]}")]
    [InlineData("json.remove({\"a\": {\"x\", \"y\"}}, [\"a/x\"])", "{\"a\":[\"y\"]}")]
    [InlineData("json.remove({\"a\": {\"b\": 1, \"c\": 2}, \"d\": 3}, [\"a/b\", \"d\"])", "{\"a\":{\"c\":2}}")]
    public void Removes_from_objects_arrays_and_sets(string expr, string expected) => Eval.Expr(expr).ShouldBe(expected);
}
