using System.CommandLine;
using BalticAI.Sovereignty.Cli.Policy;

namespace BalticAI.Sovereignty.Cli.Tests.Policy;

/// <summary>`balticai policy test`: a bundle whose tests pass here must not be one activation refuses for its packages.</summary>
public sealed class TestCommandTests : IDisposable
{
    private readonly DirectoryInfo _bundle = Directory.CreateTempSubdirectory("policy-test-");

    public void Dispose() => _bundle.Delete(recursive: true);

    [Fact]
    public async Task Passing_tests_below_the_root_are_exit_code_0()
    {
        Write("rules/probe/probe_test.rego", "package balticai.rules.probe_test\n\ntest_allow_probe if true\n");

        var (exit, output, error) = await RunAsync();

        exit.ShouldBe(0, error);
        output.ShouldContain("PASS: 1/1");
    }

    [Theory]
    [InlineData("system.authz")]
    [InlineData("balticaix.access")]
    public async Task A_package_outside_the_root_is_exit_code_2_naming_the_module_its_package_and_the_root(string package)
    {
        Write("rules/probe/probe_test.rego", "package balticai.rules.probe_test\n\ntest_allow_probe if true\n");
        Write("extra/outside.rego", $"package {package}\n\nallow := true\n");

        var (exit, output, error) = await RunAsync();

        exit.ShouldBe(2);
        output.ShouldNotContain("PASS");
        var line = error.Split('\n').Single(l => l.Contains("outside.rego", StringComparison.Ordinal));
        line.ShouldContain($"package {package} ");
        line.ShouldContain("data.balticai");
        error.ShouldNotContain("probe_test.rego");
    }

    [Fact]
    public async Task Each_test_query_runs_under_the_given_timeout()
    {
        // Hundreds of thousands of steps: far below the step limit, far above a millisecond of work.
        Write("rules/probe/probe_test.rego",
            "package balticai.rules.probe_test\n\ntest_many_steps if count([x | some x in numbers.range(1, 200000); x > 0]) == 200000\n");

        var (tight, tightOutput, _) = await RunAsync("--timeout", "00:00:00.001");
        var (generous, generousOutput, generousError) = await RunAsync("--timeout", "00:05:00");

        tight.ShouldNotBe(0);
        tightOutput.ShouldContain("test_many_steps: FAIL");
        generous.ShouldBe(0, generousError);
        generousOutput.ShouldContain("PASS: 1/1");
    }

    [Fact]
    public async Task A_test_rule_in_a_module_not_named_test_is_run_and_reported_as_activation_runs_it()
    {
        Write("rules/probe/probe_test.rego", "package balticai.rules.probe_test\n\ntest_allow_probe if true\n");
        Write("rules/probe/probe.rego", "package balticai.rules.probe\n\nallow := false\n\ntest_inline_allow if allow\n");

        var (exit, output, _) = await RunAsync();

        exit.ShouldBe(1);
        output.ShouldContain("data.balticai.rules.probe.test_inline_allow: FAIL");
        output.ShouldContain("PASS: 1/2");
    }

    [Fact]
    public async Task A_test_rule_defined_in_two_files_of_its_package_is_run_and_reported_once()
    {
        Write("rules/probe/probe_test.rego", "package balticai.rules.probe_test\n\ntest_allow_probe if true\n");
        Write("rules/probe/more_probe_test.rego", "package balticai.rules.probe_test\n\ntest_allow_probe if 1 == 1\n");

        var (exit, output, error) = await RunAsync("--verbose");

        exit.ShouldBe(0, error);
        output.Split('\n').Count(l => l.Contains("data.balticai.rules.probe_test.test_allow_probe", StringComparison.Ordinal)).ShouldBe(1);
        output.ShouldContain("PASS: 1/1");
    }

    [Fact]
    public async Task A_run_that_outlasts_the_deadline_stops_with_exit_code_2_naming_the_deadline()
    {
        WriteSlowTests(_bundle, "rules/probe/probe_test.rego", "balticai.rules.probe_test");

        var (tight, tightOutput, tightError) = await RunAsync("--deadline", "00:00:00.001");
        var (generous, generousOutput, generousError) = await RunAsync();

        tight.ShouldBe(2);
        tightError.ShouldContain("--deadline");
        tightError.ShouldContain("0.001 s");
        tightOutput.ShouldNotContain("PASS");
        generous.ShouldBe(0, generousError);
        generousOutput.ShouldContain($"PASS: {SlowTestCount}/{SlowTestCount}");
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("-00:00:01")]
    public async Task A_deadline_that_is_not_positive_is_refused(string deadline)
    {
        Write("rules/probe/probe_test.rego", "package balticai.rules.probe_test\n\ntest_allow_probe if true\n");

        var (exit, output, error) = await RunAsync("--deadline", deadline);

        exit.ShouldNotBe(0);
        error.ShouldContain("--deadline must be positive");
        output.ShouldNotContain("PASS");
    }

    internal const int SlowTestCount = 200;

    // Enough that the whole run lasts far longer than a loaded host may keep the deadline's timer thread waiting.
    private const int SlowTestRange = 30_000;

    /// <summary>
    /// Tests of tens of thousands of steps each, far below the per-test limit: together they take many times a millisecond,
    /// yet far less than the default deadline.
    /// </summary>
    internal static void WriteSlowTests(DirectoryInfo bundle, string path, string package)
    {
        var tests = Enumerable.Range(1, SlowTestCount)
            .Select(i => $"test_steps_{i} if count([x | some x in numbers.range(1, {SlowTestRange}); x > {i}]) == {SlowTestRange - i}\n");
        var file = Path.Combine(bundle.FullName, path);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, $"package {package}\n\n" + string.Concat(tests));
    }

    private void Write(string path, string source)
    {
        var file = Path.Combine(_bundle.FullName, path);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, source);
    }

    private async Task<(int Exit, string Output, string Error)> RunAsync(params string[] options)
    {
        var root = new RootCommand { PolicyCommand.Create() };
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await root.Parse(["policy", "test", _bundle.FullName, .. options]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }
}
