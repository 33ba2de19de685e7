namespace BalticAI.Sovereignty.Rego.Tests;

/// <summary>
/// A test whose evaluation raises an error is ERROR, not FAIL, as OPA's tester reports it (tester/runner.go sets
/// Result.Error, and Result.outcome names it ERROR); a false or undefined test is still FAIL.
/// </summary>
public sealed class TestErrorOutcomeTests
{
    private static IReadOnlyList<RegoTestResult> Run(string source) =>
        RegoCompiler.Compile([new RegoModule("p_test.rego", "package p_test\n\n" + source)]).RunTests();

    [Fact]
    public void A_test_reading_a_conflicting_complete_rule_is_an_error_with_the_conflict()
    {
        var result = Run("x := v if some v in [1, 2]\n\ntest_conflict if x == 1").ShouldHaveSingleItem();

        result.Errored.ShouldBeTrue();
        result.Outcome.ShouldBe("ERROR");
        result.Failed.ShouldBeTrue();
        result.Error.ShouldNotBeNull().ShouldContain("complete rules must not produce multiple outputs");
    }

    [Fact]
    public void A_false_test_fails_without_erroring()
    {
        var result = Run("test_false if false").ShouldHaveSingleItem();

        result.Errored.ShouldBeFalse();
        result.Outcome.ShouldBe("FAIL");
    }
}
