namespace BalticAI.Sovereignty.Rego.Tests.Builtins;

/// <summary>glob.match delimiters as OPA's topdown/glob.go reads them.</summary>
public sealed class GlobTests
{
    [Theory]
    [InlineData("glob.match(\"*.com\", null, \"a.b.com\")", "true")]
    [InlineData("glob.match(\"*.com\", [], \"a.b.com\")", "false")]
    [InlineData("glob.match(\"*.com\", [\".\"], \"b.com\")", "true")]
    [InlineData("glob.match(\"*:com\", [\":\"], \"a.b:com\")", "true")]
    [InlineData("glob.match(\"a*\", [\"ab\"], \"ax\")", "undefined")]
    [InlineData("glob.match(\"?\", null, \".\")", "true")]
    public void Null_means_no_delimiters_and_an_empty_array_means_dot(string expr, string expected) => Eval.Expr(expr).ShouldBe(expected);

    // gobwas/glob matches runes: '?' is one code point, even outside the BMP.
    [Theory]
    [InlineData("glob.match(\"?\", null, \"\U0001F642\")", "true")]
    [InlineData("glob.match(\"a?b\", [\".\"], \"a\U0001F642b\")", "true")]
    [InlineData("glob.match(\"??\", [\".\"], \"\U0001F642\")", "false")]
    [InlineData("glob.match(\"*\", [\".\"], \"\U0001F642\U0001F642\")", "true")]
    [InlineData("glob.match(\"?\", [\".\"], \".\")", "false")]
    public void Question_mark_is_one_code_point(string expr, string expected) => Eval.Expr(expr).ShouldBe(expected);
}
