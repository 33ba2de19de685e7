namespace BalticAI.Sovereignty.Rego.Tests.Builtins;

/// <summary>Inputs that made a builtin throw a .NET exception out of the evaluation (a 500 in the broker).</summary>
public sealed class UnforeseenInputTests
{
    // Go's strings.TrimLeft/TrimRight/Trim treat the cutset as code points (OPA topdown/strings.go).
    [Theory]
    [InlineData("trim_left(\"\U0001F642\U0001F643x\", \"\U0001F642\")", "\"\U0001F643x\"")]
    [InlineData("trim_right(\"x\U0001F643\U0001F642\", \"\U0001F642\")", "\"x\U0001F643\"")]
    [InlineData("trim(\"\U0001F642a\U0001F642\", \"\U0001F642\")", "\"a\"")]
    [InlineData("trim(\"xxaxx\", \"x\")", "\"a\"")]
    public void Trim_cutsets_are_code_points(string expr, string expected) => Eval.Expr(expr).ShouldBe(expected);

    // SemVer 2.0.0 numbers are ASCII digits (Arabic-Indic digits made BigInteger.Parse throw); "-1" is an
    // alphanumeric identifier, ranked above numeric ones (OPA internal/semver isAllDecimals).
    [Theory]
    [InlineData("semver.is_valid(\"1\u0661.0.0\")", "false")]
    [InlineData("semver.is_valid(\"1.0.0\\n\")", "false")]
    [InlineData("semver.compare(\"1.0.0-a.-1\", \"1.0.0-a.1\")", "1")]
    public void Semver_digits_are_ascii(string expr, string expected) => Eval.Expr(expr).ShouldBe(expected);

    // OPA's builtinSplitN takes the last |n| parts for a negative n; Math.Abs(int.MinValue) overflowed.
    [Fact]
    public void Split_n_with_the_smallest_int_takes_every_part() =>
        Eval.Expr("strings.split_n(\"a,b\", \",\", -2147483648)").ShouldBe("[\"a\",\"b\"]");

    [Fact]
    public void An_unexpected_builtin_failure_is_an_eval_builtin_error_when_strict()
    {
        var policy = RegoCompiler.Compile([new RegoModule("t.rego", "package t\n\nx := semver.compare(\"1\u0661.0.0\", \"1.0.0\")")],
            options: new RegoOptions { StrictBuiltinErrors = true });
        Should.Throw<RegoException>(() => policy.Evaluate("data.t.x")).First.Code.ShouldBeOneOf("eval_builtin_error", "eval_type_error");
    }
}
