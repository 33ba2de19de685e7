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

    // A float argument is a Go float64; %v and %g print it in strconv's shortest 'g' form.
    [Theory]
    [InlineData("sprintf(\"%v\", [1234567.5])", "\"1.2345675e+06\"")]
    [InlineData("sprintf(\"%v\", [999999.5])", "\"999999.5\"")]
    [InlineData("sprintf(\"%g\", [2500000.5])", "\"2.5000005e+06\"")]
    [InlineData("sprintf(\"%v\", [0.00001])", "\"1e-05\"")]
    [InlineData("sprintf(\"%v\", [1.5])", "\"1.5\"")]
    public void Floats_print_in_shortest_g_form(string expr, string expected) => Eval.Expr(expr).ShouldBe(expected);
}
