
namespace BalticAI.Sovereignty.Cli.Tests.Policy;

/// <summary>
/// `balticai policy test` on a directory read as `opa test` reads one mounts its .json files as OPA's loader does:
/// any JSON at the path of its folder, an object at the top, keys two files both set refused.
/// </summary>
public sealed class OpaLayoutDataTests : IDisposable
{
    private readonly PolicyDirectory _dir = new("policy-test-opa-");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("[\"MIT\", \"Apache-2.0\"]")]
    [InlineData("\"MIT\"")]
    [InlineData("3")]
    [InlineData("null")]
    public async Task A_document_that_is_no_object_nested_in_a_folder_is_readable_at_the_folder_path(string document)
    {
        Write("data/spdx/index.json", document);
        Write("rules/probe/probe_test.rego", $"package balticai.rules.probe_test\n\ntest_spdx if data.data.spdx == {document}\n");

        var (exit, output, error) = await RunAsync("--layout", "opa");

        exit.ShouldBe(0, error + output);
        output.ShouldContain("PASS: 1/1");
    }

    [Fact]
    public async Task A_document_that_is_no_object_at_the_top_of_the_directory_is_exit_code_2_naming_the_file()
    {
        Write("spdx.json", "[\"MIT\"]");
        Write("rules/probe/probe_test.rego", "package balticai.rules.probe_test\n\ntest_allow_probe if true\n");

        var (exit, output, error) = await RunAsync();

        exit.ShouldBe(2);
        output.ShouldNotContain("PASS");
        error.ShouldContain("spdx.json: document must be of type object");
        error.ShouldContain("found an array");
    }

    [Fact]
    public async Task Data_files_of_one_folder_merge_their_keys()
    {
        Write("limits/max.json", "{\"max\": 3}");
        Write("limits/min.json", "{\"min\": 1}");
        Write("rules/probe/probe_test.rego", "package balticai.rules.probe_test\n\ntest_limits if data.limits == {\"max\": 3, \"min\": 1}\n");

        var (exit, output, error) = await RunAsync();

        exit.ShouldBe(0, error + output);
        output.ShouldContain("PASS: 1/1");
    }

    [Fact]
    public async Task Two_data_files_setting_one_key_are_exit_code_2_naming_the_key_even_when_they_agree()
    {
        Write("limits/a.json", "{\"max\": 3}");
        Write("limits/b.json", "{\"max\": 3}");
        Write("rules/probe/probe_test.rego", "package balticai.rules.probe_test\n\ntest_allow_probe if true\n");

        var (exit, output, error) = await RunAsync();

        exit.ShouldBe(2);
        output.ShouldNotContain("PASS");
        error.ShouldContain("b.json: merge error");
        error.ShouldContain("data.limits.max");
    }

    [Fact]
    public async Task A_data_file_that_is_no_json_is_exit_code_2_naming_it()
    {
        Write("limits/limits.json", "{\"max\": ");
        Write("rules/probe/probe_test.rego", "package balticai.rules.probe_test\n\ntest_allow_probe if true\n");

        var (exit, output, error) = await RunAsync();

        exit.ShouldBe(2);
        output.ShouldNotContain("PASS");
        error.ShouldContain("limits.json: ");
    }

    private void Write(string path, string source) => _dir.Write(path, source);

    private Task<(int Exit, string Output, string Error)> RunAsync(params string[] options) => _dir.RunAsync("test", options);
}
