namespace BalticAI.Sovereignty.Rego.Tests.Builtins;

/// <summary>units.parse_bytes as OPA's v1/topdown/parse_bytes.go computes it (big.Float product, then Int).</summary>
public sealed class UnitsTests
{
    [Theory]
    [InlineData("units.parse_bytes(\"-1.5\")", "-1")]
    [InlineData("units.parse_bytes(\"-1.5K\")", "-1500")]
    [InlineData("units.parse_bytes(\"-0.0001Ki\")", "0")]
    [InlineData("units.parse_bytes(\"1.9\")", "1")]
    [InlineData("units.parse_bytes(\"1.5Ki\")", "1536")]
    public void Parse_bytes_truncates_towards_zero(string expr, string expected) => Eval.Expr(expr).ShouldBe(expected);
}
