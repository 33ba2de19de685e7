
namespace BalticAI.Sovereignty.Cli.Tests.Policy;

/// <summary>
/// Read as `opa test` reads a directory, .yaml and .yml files are data as .json files are (loader.loadYAML): mounted at
/// the path of their folder, merged under the same rules, typed as sigs.k8s.io/yaml types them.
/// </summary>
public sealed class OpaLayoutYamlTests : IDisposable
{
    private readonly PolicyDirectory _dir = new("policy-test-yaml-");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Yaml_and_yml_files_are_mounted_at_their_folder_path_and_merged_with_json()
    {
        Write("limits/max.yaml", "max: 3\n");
        Write("limits/min.yml", "min: 1\n");
        Write("limits/step.json", "{\"step\": 2}");
        Write("probe_test.rego", "package balticai.probe_test\n\ntest_limits if data.limits == {\"max\": 3, \"min\": 1, \"step\": 2}\n");

        var (exit, output, error) = await RunAsync();

        exit.ShouldBe(0, error + output);
        output.ShouldContain("PASS: 1/1");
    }

    [Theory]
    [InlineData("yes", "true")]
    [InlineData("Off", "false")]
    [InlineData("~", "null")]
    [InlineData("", "null")]
    [InlineData("0x1F", "31")]
    [InlineData("017", "15")]
    [InlineData("1_000", "1000")]
    [InlineData("2.50", "2.5")]
    [InlineData("\"yes\"", "\"yes\"")]
    [InlineData("2024-01-31", "\"2024-01-31\"")]
    [InlineData("eu-west", "\"eu-west\"")]
    public async Task Plain_scalars_are_typed_as_opa_types_them_and_quoted_ones_stay_strings(string yaml, string rego)
    {
        Write("flags/flags.yaml", $"value: {yaml}\n");
        Write("probe_test.rego", $"package balticai.probe_test\n\ntest_value if data.flags.value == {rego}\n");

        var (exit, output, error) = await RunAsync();

        exit.ShouldBe(0, error + output);
    }

    [Fact]
    public async Task A_key_repeated_within_a_yaml_file_is_no_error_and_its_last_value_wins_as_opas_loader_reads_it()
    {
        Write("limits/limits.yaml", "max: 1\nmin: 0\nmax: 3\n");
        Write("probe_test.rego", "package balticai.probe_test\n\ntest_limits if data.limits == {\"max\": 3, \"min\": 0}\n");

        var (exit, output, error) = await RunAsync();

        exit.ShouldBe(0, error + output);
        output.ShouldContain("PASS: 1/1");
    }

    [Fact]
    public async Task A_merge_key_in_a_yaml_file_sets_its_keys_where_it_stands()
    {
        Write("regions/regions.yaml", "defaults: &d {zone: eu, tier: 1}\nprod:\n  <<: *d\n  tier: 2\nlegacy:\n  tier: 2\n  <<: *d\n");
        Write("probe_test.rego", "package balticai.probe_test\n\ntest_prod if data.regions.prod == {\"zone\": \"eu\", \"tier\": 2}\n\n" +
            "test_legacy if data.regions.legacy == {\"zone\": \"eu\", \"tier\": 1}\n");

        var (exit, output, error) = await RunAsync();

        exit.ShouldBe(0, error + output);
        output.ShouldContain("PASS: 2/2");
    }

    [Fact]
    public async Task A_yaml_file_whose_merge_key_holds_no_map_is_exit_code_2_naming_it()
    {
        Write("regions/regions.yaml", "prod:\n  <<: eu\n");
        Write("probe_test.rego", "package balticai.probe_test\n\ntest_ok if true\n");

        var (exit, output, error) = await RunAsync();

        exit.ShouldBe(2);
        output.ShouldNotContain("PASS");
        error.ShouldContain("regions.yaml: error converting YAML to JSON: yaml: map merge requires map or sequence of maps as the value");
    }

    [Fact]
    public async Task A_key_set_by_a_yaml_file_and_a_json_file_is_exit_code_2_as_a_merge_error()
    {
        Write("limits/a.json", "{\"max\": 3}");
        Write("limits/b.yaml", "max: 3\n");
        Write("probe_test.rego", "package balticai.probe_test\n\ntest_ok if true\n");

        var (exit, output, error) = await RunAsync();

        exit.ShouldBe(2);
        output.ShouldNotContain("PASS");
        error.ShouldContain("b.yaml: merge error");
        error.ShouldContain("data.limits.max");
    }

    [Fact]
    public async Task A_yaml_file_that_is_no_yaml_is_exit_code_2_naming_it()
    {
        Write("limits/limits.yml", "max: [1, 2\n");
        Write("probe_test.rego", "package balticai.probe_test\n\ntest_ok if true\n");

        var (exit, output, error) = await RunAsync();

        exit.ShouldBe(2);
        output.ShouldNotContain("PASS");
        error.ShouldContain("limits.yml: error converting YAML to JSON: yaml: line ");
    }

    private void Write(string path, string source) => _dir.Write(path, source);

    private Task<(int Exit, string Output, string Error)> RunAsync() => _dir.RunAsync("test", "--layout", "opa");
}
