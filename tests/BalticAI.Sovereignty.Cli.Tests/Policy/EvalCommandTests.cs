using System.CommandLine;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Cli.Policy;

namespace BalticAI.Sovereignty.Cli.Tests.Policy;

/// <summary>`balticai policy eval -s SCHEMA`: as `opa eval -s`, a module reading what no input of the schema has is a type error.</summary>
public sealed class EvalCommandTests : IDisposable
{
    private readonly PolicyDirectory _dir = new("policy-eval-");

    public EvalCommandTests()
    {
        _dir.Write("input.json", """{"job": {"commercial": true}}""");
        _dir.Write("schema.json", """{"type": "object", "additionalProperties": false, "properties": {"job": {"type": "object", "additionalProperties": false, "properties": {"commercial": {"type": "boolean"}}}}}""");
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_module_reading_a_key_the_schema_lacks_is_a_type_error_naming_it_and_without_the_schema_it_is_undefined()
    {
        _dir.Write("p.rego", "package p\n\ndeny if input.job.comercial\n");

        var (exit, output) = await EvalAsync("-s", Path.Combine(_dir.FullName, "schema.json"));
        var (plainExit, plainOutput) = await EvalAsync();

        exit.ShouldBe(1);
        var error = JsonNode.Parse(output)!["errors"]!.AsArray().Single()!;
        error["code"]!.GetValue<string>().ShouldBe("rego_type_error");
        error["message"]!.GetValue<string>().ShouldBe("undefined ref: input.job.comercial (did you mean input.job.commercial?)");
        error["location"]!["row"]!.GetValue<int>().ShouldBe(3);
        plainExit.ShouldBe(0);
        JsonNode.Parse(plainOutput)!["result"].ShouldBeNull();
    }

    [Fact]
    public async Task A_module_reading_what_the_schema_has_evaluates()
    {
        _dir.Write("p.rego", "package p\n\ndeny if input.job.commercial\n");

        var (exit, output) = await EvalAsync("--schema", Path.Combine(_dir.FullName, "schema.json"));

        exit.ShouldBe(0, output);
        JsonNode.Parse(output)!["result"]![0]!["expressions"]![0]!["value"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task A_schema_that_is_no_json_object_is_an_error_naming_the_file()
    {
        _dir.Write("p.rego", "package p\n\ndeny if input.job.commercial\n");
        _dir.Write("broken.json", "[1, 2]");

        var (exit, output) = await EvalAsync("-s", Path.Combine(_dir.FullName, "broken.json"));

        exit.ShouldBe(1);
        JsonNode.Parse(output)!["errors"]![0]!["message"]!.GetValue<string>().ShouldStartWith("broken.json: not a JSON Schema for the input");
    }

    [Fact]
    public async Task A_schema_directory_gives_the_schemas_METADATA_names_and_its_input_json_types_the_input()
    {
        var schemas = Path.Combine(_dir.FullName, "schemas");
        Directory.CreateDirectory(Path.Combine(schemas, "docs"));
        File.Copy(Path.Combine(_dir.FullName, "schema.json"), Path.Combine(schemas, "input.json"));
        File.WriteAllText(Path.Combine(schemas, "docs", "settings.json"), """{"type": "object", "additionalProperties": false, "properties": {"purposes": {"type": "array"}}}""");
        _dir.Write("p.rego", "package p\n\n# METADATA\n# schemas:\n#   - data.settings: schema.docs.settings\ndeny if \"ads\" in data.settings.purposs\n");

        var (exit, output) = await EvalAsync("-s", schemas);
        _dir.Write("p.rego", "package p\n\ndeny if input.job.comercial\n");
        var (inputExit, inputOutput) = await EvalAsync("-s", schemas);

        exit.ShouldBe(1, output);
        JsonNode.Parse(output)!["errors"]![0]!["message"]!.GetValue<string>().ShouldBe("undefined ref: data.settings.purposs (did you mean data.settings.purposes?)");
        inputExit.ShouldBe(1, inputOutput);
        JsonNode.Parse(inputOutput)!["errors"]![0]!["message"]!.GetValue<string>().ShouldBe("undefined ref: input.job.comercial (did you mean input.job.commercial?)");
    }

    private async Task<(int Exit, string Output)> EvalAsync(params string[] options)
    {
        var root = new RootCommand { PolicyCommand.Create() };
        var output = new StringWriter();
        var exit = await root.Parse(["policy", "eval", "-d", Path.Combine(_dir.FullName, "p.rego"), "-i", Path.Combine(_dir.FullName, "input.json"), .. options, "data.p.deny"])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = new StringWriter() });
        return (exit, output.ToString());
    }
}
