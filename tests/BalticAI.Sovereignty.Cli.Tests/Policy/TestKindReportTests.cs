
namespace BalticAI.Sovereignty.Cli.Tests.Policy;

/// <summary>
/// `balticai policy test` reports partial, function and `todo_test_` tests as `opa test` does: a partial object test's
/// cases below it and counted one by one, skipped tests apart and failing nothing.
/// </summary>
public sealed class TestKindReportTests : IDisposable
{
    private readonly PolicyDirectory _dir = new("policy-test-kinds-");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_failing_case_of_a_partial_object_test_is_exit_code_1_printed_below_the_test_and_counted_as_one_test()
    {
        Write("probe_test.rego", "package balticai.probe_test\n\ntest_cases[x] if {\n\tsome x in [\"eu\", \"us\"]\n\tx != \"us\"\n}\n");

        var (exit, output, _) = await RunAsync();

        exit.ShouldBe(1);
        output.ShouldContain("data.balticai.probe_test.test_cases: FAIL");
        output.ShouldContain("\n  us: FAIL\n");
        output.ShouldNotContain("eu: FAIL");
        output.ShouldContain("PASS: 1/2");
        output.ShouldContain("FAIL: 1/2");
    }

    [Fact]
    public async Task An_empty_partial_set_test_and_a_function_named_test_are_run_and_fail()
    {
        Write("probe_test.rego", "package balticai.probe_test\n\ntest_none contains x if some x in []\n\ntest_f(x) if x == 1\n");

        var (exit, output, _) = await RunAsync();

        exit.ShouldBe(1);
        output.ShouldContain("data.balticai.probe_test.test_none: FAIL");
        output.ShouldContain("data.balticai.probe_test.test_f: FAIL");
        output.ShouldContain("FAIL: 2/2");
    }

    [Fact]
    public async Task A_run_where_no_test_passes_prints_no_pass_line_as_opa_test_prints_none()
    {
        Write("probe_test.rego", "package balticai.probe_test\n\nx := v if some v in [1, 2]\n\ntest_conflict if x == 1\n\ntest_false if false\n");

        var (exit, output, _) = await RunAsync();

        exit.ShouldBe(1);
        output.ShouldNotContain("PASS:");
        output.ShouldEndWith("-\nFAIL: 1/2\nERROR: 1/2\n");
    }

    [Fact]
    public async Task A_todo_test_is_reported_skipped_and_leaves_the_exit_code_0()
    {
        Write("probe_test.rego", "package balticai.probe_test\n\ntest_ok if true\n\ntodo_test_later if false\n");

        var (exit, output, error) = await RunAsync("--verbose");

        exit.ShouldBe(0, error);
        output.ShouldContain("data.balticai.probe_test.todo_test_later: SKIPPED\n");
        output.ShouldContain("PASS: 1/2");
        output.ShouldContain("SKIPPED: 1/2");
    }

    [Fact]
    public async Task A_test_whose_evaluation_errs_is_reported_as_an_error_with_its_message_and_counted_apart()
    {
        Write("probe_test.rego", "package balticai.probe_test\n\nx := v if some v in [1, 2]\n\ntest_conflict if x == 1\n\ntest_false if false\n\ntest_ok if true\n");

        var (exit, output, _) = await RunAsync();

        exit.ShouldBe(1);
        output.ShouldContain("data.balticai.probe_test.test_conflict: ERROR (");
        output.ShouldContain("complete rules must not produce multiple outputs");
        output.ShouldContain("data.balticai.probe_test.test_false: FAIL (");
        output.ShouldContain("PASS: 1/3\nFAIL: 1/3\nERROR: 1/3\n");
        output[..output.IndexOf("SUMMARY", StringComparison.Ordinal)].ShouldNotContain("test_conflict");
    }

    private void Write(string path, string source) => _dir.Write(path, source);

    private Task<(int Exit, string Output, string Error)> RunAsync(params string[] options) => _dir.RunAsync("test", ["--layout", "opa", .. options]);
}
