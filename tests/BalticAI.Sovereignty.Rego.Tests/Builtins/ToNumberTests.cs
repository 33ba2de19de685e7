namespace BalticAI.Sovereignty.Rego.Tests.Builtins;

/// <summary>to_number on strings is Go's strconv.ParseFloat check (OPA v1/topdown/casts.go) minus inf/nan.</summary>
public sealed class ToNumberTests
{
    [Theory]
    [InlineData("to_number(\"+1\")", "1")]
    [InlineData("to_number(\"+1.5e1\")", "15")]
    [InlineData("to_number(\"1e400\")", "undefined")]
    [InlineData("to_number(\"-1e400\")", "undefined")]
    [InlineData("to_number(\"1e308\") > 0", "true")]
    [InlineData("to_number(\"+-1\")", "undefined")]
    [InlineData("to_number(\"++1\")", "undefined")]
    [InlineData("to_number(\"+\")", "undefined")]
    [InlineData("to_number(\" 1\")", "undefined")]
    [InlineData("to_number(\"+Inf\")", "undefined")]
    [InlineData("to_number(\"-12\")", "-12")]
    public void Strings_parse_as_ParseFloat_does(string expr, string expected) => Eval.Expr(expr).ShouldBe(expected);
}
