namespace BalticAI.Sovereignty.Rego.Tests.Builtins;

/// <summary>json.filter and json paths as OPA reads them (v1/topdown/json.go parsePath, v1/ast filterObject).</summary>
public sealed class JsonFilterTests
{
    [Theory]
    [InlineData("json.filter({\"a\": [1, 2, 3]}, [\"a/1\"])", "{\"a\":[2]}")]
    [InlineData("json.filter({\"a\": [{\"b\": 1, \"c\": 2}, 5]}, [\"a/0/b\"])", "{\"a\":[{\"b\":1}]}")]
    [InlineData("json.filter({\"a\": {\"x\", \"y\"}}, [\"a/x\"])", "{\"a\":[\"x\"]}")]
    [InlineData("json.filter({\"a\": 1, \"b\": 2}, [\"\", \"a\"])", "{\"a\":1}")]
    [InlineData("json.filter({\"a\": {\"b\": 1}, \"c\": 2}, [\"a\", \"a/b\"])", "{\"a\":{\"b\":1}}")]
    [InlineData("json.remove({\"a\": {\"b\": 1}}, [\"a/\"])", "{\"a\":{\"b\":1}}")]
    [InlineData("json.remove({\"\": 1, \"a\": 2}, [\"\"])", "{\"\":1,\"a\":2}")]
    public void Paths_walk_objects_arrays_and_sets(string expr, string expected) => Eval.Expr(expr).ShouldBe(expected);
}
