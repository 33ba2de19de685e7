
namespace BalticAI.Sovereignty.Cli.Tests.Policy;

/// <summary>
/// `balticai policy test`: a bundle whose tests pass here must not be one activation refuses, for its packages or for
/// where its data sits; a directory that is no bundle is read as `opa test` reads it.
/// </summary>
[Collection(DeadlineCollection.Name)]
public sealed class TestCommandTests : IDisposable
{
    private readonly PolicyDirectory _bundle = new("policy-test-");

    public void Dispose() => _bundle.Dispose();

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
        tightOutput.ShouldContain("test_many_steps: ERROR"); // as opa test reports a timed-out test
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
    public async Task Each_definition_of_a_test_rule_in_two_files_is_its_own_test_reported_under_its_file_as_opa_names_it()
    {
        Write("rules/probe/probe_test.rego", "package balticai.rules.probe_test\n\ntest_allow_probe if false\n");
        Write("rules/probe/more_probe_test.rego", "package balticai.rules.probe_test\n\ntest_allow_probe if 1 == 1\n");

        var (exit, output, _) = await RunAsync("--verbose");

        exit.ShouldBe(1);
        var summary = output[output.IndexOf("SUMMARY", StringComparison.Ordinal)..];
        summary.ShouldContain("rules/probe/more_probe_test.rego:\ndata.balticai.rules.probe_test.test_allow_probe: PASS");
        summary.ShouldContain("rules/probe/probe_test.rego:\ndata.balticai.rules.probe_test.test_allow_probe#01: FAIL");
        output.ShouldContain("PASS: 1/2");
    }

    [Fact]
    public async Task A_run_that_outlasts_the_deadline_stops_with_exit_code_2_naming_the_deadline()
    {
        WriteSlowTests(_bundle.Root, "rules/probe/probe_test.rego", "balticai.rules.probe_test");

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

    private const string ReadsBalticai = "package balticai.rules.probe_test\n\ntest_allow_limit if data.balticai.limits.max == 3\n";
    private const string ReadsDataFolder = "package balticai.rules.probe_test\n\ntest_allow_limit if data.data.limits.max == 3\n";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_bundle_test_reading_data_balticai_from_data_json_passes_here_and_for_policy_bundle(bool manifest)
    {
        if (manifest)
        {
            Write(".manifest", "{\"revision\": \"probe-1\", \"roots\": [\"balticai\"]}");
        }
        Write("data/limits.json", "{\"description\": \"probe limits\", \"limits\": {\"max\": 3}}");
        Write("rules/probe/probe_test.rego", ReadsBalticai);

        var (exit, output, error) = await RunAsync("--verbose");
        var (bundleExit, _, bundleError) = await RunAsync("bundle", []);

        exit.ShouldBe(0, error);
        output.ShouldContain("PASS: 1/1");
        // Named by its path in the bundle, as activation names a failing test.
        output.ShouldContain("rules/probe/probe_test.rego:");
        bundleExit.ShouldBe(0, bundleError);
    }

    [Fact]
    public async Task A_bundle_test_relying_on_data_json_at_data_data_fails_here_as_policy_bundle_refuses_it()
    {
        Write("data/limits.json", "{\"limits\": {\"max\": 3}}");
        Write("rules/probe/probe_test.rego", ReadsDataFolder);

        var (exit, output, error) = await RunAsync();
        var (bundleExit, bundleOutput, bundleError) = await RunAsync("bundle", []);

        exit.ShouldBe(1);
        output.ShouldContain("data.balticai.rules.probe_test.test_allow_limit: FAIL");
        output.ShouldContain("FAIL: 1/1");
        error.ShouldContain("data/*.json under data.balticai");
        bundleExit.ShouldBe(2);
        bundleOutput.ShouldBeEmpty();
        bundleError.ShouldContain("rules/probe/probe_test.rego: data.balticai.rules.probe_test.test_allow_limit: FAIL");
    }

    [Fact]
    public async Task The_opa_layout_still_places_data_json_by_folder_when_asked_and_then_the_bundle_test_fails()
    {
        Write("data/limits.json", "{\"limits\": {\"max\": 3}}");
        Write("rules/probe/probe_test.rego", ReadsDataFolder);
        Write("rules/probe/balticai_test.rego", ReadsBalticai.Replace("probe_test", "balticai_probe_test", StringComparison.Ordinal));

        var (exit, output, _) = await RunAsync("--layout", "opa");

        exit.ShouldBe(1);
        output.ShouldContain("data.balticai.rules.balticai_probe_test.test_allow_limit: FAIL");
        output.ShouldContain("PASS: 1/2");
    }

    [Fact]
    public async Task A_plain_rego_directory_places_each_json_at_its_folder_path_as_opa_test_does()
    {
        Write("limits/limits.json", "{\"max\": 3}");
        Write("rules/probe/probe_test.rego", "package balticai.rules.probe_test\n\ntest_allow_limit if data.limits.max == 3\n");

        var (exit, output, error) = await RunAsync("--verbose");

        exit.ShouldBe(0, error);
        output.ShouldContain("PASS: 1/1");
        output.ShouldContain(Path.Combine("rules", "probe", "probe_test.rego") + ":");
    }

    [Fact]
    public async Task A_rule_reading_a_key_the_broker_never_sends_is_exit_code_2_before_any_test_as_activation_refuses_it()
    {
        Write("rules/probe/probe.rego", "package balticai.rules.probe\n\ndeny contains \"commercial\" if input.job.comercial\n");
        Write("rules/probe/probe_test.rego", "package balticai.rules.probe_test\n\nimport data.balticai.rules.probe\n\ntest_deny if \"commercial\" in probe.deny with input as {\"job\": {\"comercial\": true}}\n");

        var (exit, output, error) = await RunAsync("--layout", "bundle");

        exit.ShouldBe(2);
        output.ShouldNotContain("PASS");
        error.ShouldContain("the policy bundle does not compile");
        error.ShouldContain(Path.Combine("rules", "probe", "probe.rego") + ":3: rego_type_error: undefined ref: input.job.comercial (did you mean input.job.commercial?)");
    }

    [Fact]
    public async Task A_bundle_activation_would_refuse_for_a_data_document_where_a_rule_is_is_exit_code_2_before_any_test()
    {
        Write("data/access.json", "{\"access\": {\"decision\": {\"allow\": true}}}");
        Write("access/access.rego", "package balticai.access\n\ndecision := {\"allow\": false}\n\ntest_deny if not decision.allow\n");

        var (exit, output, error) = await RunAsync();

        exit.ShouldBe(2);
        output.ShouldNotContain("PASS");
        error.ShouldContain("the data tree holds a document where a rule defines one");
        error.ShouldContain("balticai/access/decision");
    }

    [Fact]
    public async Task Two_data_documents_defining_one_key_are_exit_code_2_as_activation_refuses_them()
    {
        Write("data/a.json", "{\"limits\": {\"max\": 3}}");
        Write("data/b.json", "{\"limits\": {\"max\": 4}}");
        Write("rules/probe/probe_test.rego", ReadsBalticai);

        var (exit, output, error) = await RunAsync();

        exit.ShouldBe(2);
        output.ShouldNotContain("PASS");
        error.ShouldContain("data.balticai.limits is already defined");
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

    private void Write(string path, string source) => _bundle.Write(path, source);

    private Task<(int Exit, string Output, string Error)> RunAsync(params string[] options) => _bundle.RunAsync("test", options);

    private Task<(int Exit, string Output, string Error)> RunAsync(string command, string[] options) => _bundle.RunAsync(command, options);
}
