namespace BalticAI.Sovereignty.Rego.Tests.Builtins;

/// <summary>sprintf is Go's fmt.Sprintf (OPA topdown/strings.go), which counts width and precision in runes.</summary>
public sealed class SprintfTests
{
    [Theory]
    [InlineData("sprintf(\"%.1s\", [\"\U0001F642x\"])", "\"\U0001F642\"")]
    [InlineData("sprintf(\"%.2s|\", [\"\u00e4\U0001F642x\"])", "\"\u00e4\U0001F642|\"")]
    [InlineData("sprintf(\"%3s|\", [\"\U0001F642\"])", "\"  \U0001F642|\"")]
    [InlineData("sprintf(\"%-3s|\", [\"\U0001F642\"])", "\"\U0001F642  |\"")]
    [InlineData("sprintf(\"%05d|%5.1f\", [-42, 3.14159])", "\"-0042|  3.1\"")]
    public void Width_and_precision_count_runes(string expr, string expected) => Eval.Expr(expr).ShouldBe(expected);
}
