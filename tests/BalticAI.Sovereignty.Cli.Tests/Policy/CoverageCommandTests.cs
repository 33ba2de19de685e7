using System.Text.Json.Nodes;

namespace BalticAI.Sovereignty.Cli.Tests.Policy;

/// <summary>
/// `balticai policy test --coverage` prints `opa test --coverage`'s JSON report alone on standard output;
/// `--threshold` fails a run whose coverage is below it, naming the lines no test reached.
/// </summary>
public sealed class CoverageCommandTests : IDisposable
{
    private readonly PolicyDirectory _bundle = new("policy-coverage-");

    public CoverageCommandTests()
    {
        Write("rules/probe/probe.rego", """
            package balticai.rules.probe

            deny contains "too big" if {
            	input.dataset.content.sizeBytes > 10
            }

            deny contains "no owner" if {
            	not input.dataset.owner
            }
            """);
        Write("rules/probe/probe_test.rego", """
            package balticai.rules.probe_test

            import data.balticai.rules.probe

            test_too_big if "too big" in probe.deny with input as {"dataset": {"content": {"sizeBytes": 11}, "owner": "x"}}
            """);
    }

    public void Dispose() => _bundle.Dispose();

    [Fact]
    public async Task Coverage_is_opas_json_report_on_standard_output_and_the_test_results_go_to_standard_error()
    {
        var (exit, output, error) = await RunAsync("--coverage");

        exit.ShouldBe(0, error);
        var report = JsonNode.Parse(output)!.AsObject();
        var probe = report["files"]!["rules/probe/probe.rego"]!;
        // Line 8's `not input.dataset.owner` ran (false, as the owner was given); the second rule's head (7) never gave a value.
        probe["covered"]!.ToJsonString().ShouldBe("""[{"start":{"row":3},"end":{"row":4}},{"start":{"row":8},"end":{"row":8}}]""");
        probe["not_covered"]!.ToJsonString().ShouldBe("""[{"start":{"row":7},"end":{"row":7}}]""");
        probe["coverage"]!.GetValue<double>().ShouldBe(75);
        report["files"]!["rules/probe/probe_test.rego"]!["coverage"]!.GetValue<double>().ShouldBe(100);
        report["coverage"]!.GetValue<double>().ShouldBe(80);
        error.ShouldContain("PASS: 1/1");
        error.ShouldContain("coverage: 80% (4 of 5 lines)");
        error.ShouldContain("rules/probe/probe.rego: 75%, not reached: 7");
    }

    [Fact]
    public async Task A_threshold_above_the_coverage_is_exit_code_1_and_one_at_or_below_it_passes()
    {
        var (below, _, belowError) = await RunAsync("--threshold", "90");
        var (met, metOutput, metError) = await RunAsync("--threshold", "80");

        below.ShouldBe(1);
        belowError.ShouldContain("Code coverage threshold not met: got 80% instead of 90%");
        met.ShouldBe(0, metError);
        JsonNode.Parse(metOutput)!["coverage"]!.GetValue<double>().ShouldBe(80);
    }

    [Fact]
    public async Task A_test_that_reaches_the_missing_line_brings_the_coverage_to_100()
    {
        Write("rules/probe/owner_test.rego", """
            package balticai.rules.probe_test

            import data.balticai.rules.probe

            test_no_owner if "no owner" in probe.deny with input as {"dataset": {"content": {"sizeBytes": 1}}}
            """);

        var (exit, output, error) = await RunAsync("--threshold", "100");

        exit.ShouldBe(0, error);
        JsonNode.Parse(output)!["files"]!["rules/probe/probe.rego"]!["not_covered"].ShouldBeNull();
    }

    [Fact]
    public async Task Failing_tests_are_exit_code_1_with_no_report_whatever_the_threshold()
    {
        Write("rules/probe/wrong_test.rego", "package balticai.rules.probe_test\n\nimport data.balticai.rules.probe\n\ntest_wrong if \"too big\" in probe.deny with input as {\"dataset\": {\"content\": {\"sizeBytes\": 1}}}\n");

        var (exit, output, error) = await RunAsync("--threshold", "0");

        exit.ShouldBe(1);
        output.ShouldBeEmpty();
        error.ShouldContain("test_wrong: FAIL");
    }

    [Theory]
    [InlineData("101")]
    [InlineData("-1")]
    public async Task A_threshold_outside_0_to_100_is_refused(string threshold)
    {
        var (exit, _, error) = await RunAsync("--threshold", threshold);

        exit.ShouldNotBe(0);
        error.ShouldContain("--threshold is a percentage from 0 to 100");
    }

    private void Write(string path, string source) => _bundle.Write(path, source);

    private Task<(int Exit, string Output, string Error)> RunAsync(params string[] options) => _bundle.RunAsync("test", ["--layout", "Bundle", .. options]);
}
