namespace BalticAI.Sovereignty.Rego.Tests.Builtins;

/// <summary>String builtins against what OPA's topdown/strings.go gives (Go's strings and unicode packages).</summary>
public sealed class StringBuiltinTests
{
    // strings.NewReplacer: one pass, first pair in key order wins at each position, output is not rescanned.
    [Theory]
    [InlineData("strings.replace_n({\"a\": \"b\", \"b\": \"c\"}, \"ab\")", "\"bc\"")]
    [InlineData("strings.replace_n({\"a\": \"1\", \"ab\": \"2\"}, \"abc\")", "\"1bc\"")]
    [InlineData("strings.replace_n({\"\": \"-\"}, \"ab\")", "\"-a-b-\"")]
    [InlineData("strings.replace_n({\"\": \"-\", \"a\": \"A\"}, \"ab\")", "\"-A-b-\"")]
    [InlineData("strings.replace_n({\"x\": \"y\"}, \"\")", "\"\"")]
    public void Replace_n_is_a_single_pass(string expr, string expected) => Eval.Expr(expr).ShouldBe(expected);

    // big.Float.Int truncates towards zero.
    [Theory]
    [InlineData("format_int(-1.5, 10)", "\"-1\"")]
    [InlineData("format_int(1.9, 2)", "\"1\"")]
    [InlineData("format_int(-255.5, 16)", "\"-ff\"")]
    public void Format_int_truncates(string expr, string expected) => Eval.Expr(expr).ShouldBe(expected);

    // unicode.ToUpper/ToLower, rune by rune.
    [Theory]
    [InlineData("upper(\"\u0131i\")", "\"II\"")]
    [InlineData("lower(\"\u0130STANBUL\")", "\"istanbul\"")]
    [InlineData("upper(\"\u017F\u00E4\")", "\"S\u00C4\"")]
    [InlineData("lower(\"\u00C4\u1E9E\")", "\"\u00E4\u00DF\"")]
    public void Case_mapping_is_Unicode_simple_mapping(string expr, string expected) => Eval.Expr(expr).ShouldBe(expected);
}
