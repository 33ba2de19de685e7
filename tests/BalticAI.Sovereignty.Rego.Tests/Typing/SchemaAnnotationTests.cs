using System.Text.Json.Nodes;

namespace BalticAI.Sovereignty.Rego.Tests.Typing;

/// <summary>METADATA `schemas` type the input and data documents of the rules they annotate, as `opa check` applies them.</summary>
public sealed class SchemaAnnotationTests
{
    private const string Settings = """
        # METADATA
        # schemas:
        #   - data.settings:
        #       type: object
        #       additionalProperties: false
        #       properties:
        #         commercialPurposes: {type: array, items: {type: string}}
        #         retentionDays: {type: integer}
        """;

    private static IReadOnlyList<RegoError> Errors(RegoInputSchema? input, RegoSchemaSet? schemas, params string[] sources) =>
        CheckedCompile.Errors(input, schemas, sources);

    /// <summary>What a checking compile without an input schema finds, as `opa check` without --schema.</summary>
    private static IReadOnlyList<RegoError> Errors(params string[] sources) => Errors(null, RegoSchemaSet.Empty, sources);

    [Fact]
    public void A_rule_reading_a_key_its_data_schema_leaves_out_is_refused_with_the_nearest_key()
    {
        var errors = Errors($"package p\n\n{Settings}\ncommercial if input.purpose in data.settings.comercialPurposes\n");
        errors.Select(e => e.ToString()).ShouldBe(
            ["p0.rego:11: rego_type_error: undefined ref: data.settings.comercialPurposes (did you mean data.settings.commercialPurposes?)"]);

        Errors($"package p\n\n{Settings}\ncommercial if input.purpose in data.settings.commercialPurposes\n").ShouldBeEmpty();
    }

    [Fact]
    public void Without_a_schema_the_same_typo_compiles_as_OPA_would()
    {
        Errors("package p\n\ncommercial if input.purpose in data.settings.comercialPurposes\n").ShouldBeEmpty();
    }

    [Fact]
    public void A_compile_that_does_not_check_applies_no_block_schema()
    {
        Errors((RegoInputSchema?)null, null, $"package p\n\n{Settings}\ncommercial if input.purpose in data.settings.comercialPurposes\n").ShouldBeEmpty();
    }

    [Fact]
    public void A_declared_document_types_builtin_operands_and_comparisons()
    {
        var errors = Errors($"package p\n\n{Settings}\nshort if startswith(data.settings.retentionDays, \"3\")\n");
        errors.Single().Message.ShouldBe("startswith: invalid argument(s): operand 1 must be string, but data.settings.retentionDays is a number");
    }

    [Fact]
    public void A_package_block_holds_for_every_rule_of_the_package_and_no_other()
    {
        var errors = Errors(
            "# METADATA\n# schemas:\n#   - data.settings: {type: object, additionalProperties: false, properties: {a: {type: string}}}\npackage p\n\nx := data.settings.b\n\ny := data.settings.c\n",
            "package q\n\nz := data.settings.b\n");
        errors.Select(e => e.ToString()).ShouldBe(
            ["p0.rego:6: rego_type_error: undefined ref: data.settings.b (did you mean data.settings.a?)", "p0.rego:8: rego_type_error: undefined ref: data.settings.c (did you mean data.settings.a?)"]);
    }

    [Fact]
    public void A_subpackages_block_holds_below_its_package_too()
    {
        var errors = Errors(
            "# METADATA\n# scope: subpackages\n# schemas:\n#   - data.settings: {type: object, additionalProperties: false, properties: {a: {type: string}}}\npackage p\n",
            "package p.rules.one\n\nx := data.settings.b\n",
            "package other\n\ny := data.settings.b\n");
        errors.Select(e => e.ToString()).ShouldBe(["p1.rego:3: rego_type_error: undefined ref: data.settings.b (did you mean data.settings.a?)"]);
    }

    [Fact]
    public void A_rule_block_wins_over_its_package_block()
    {
        Errors(
            "# METADATA\n# schemas:\n#   - data.settings: {type: object, additionalProperties: false, properties: {a: {type: string}}}\npackage p\n\n" +
            "# METADATA\n# schemas:\n#   - data.settings: {type: object, additionalProperties: false, properties: {b: {type: string}}}\nx := data.settings.b\n").ShouldBeEmpty();
    }

    [Fact]
    public void Input_colon_schema_input_types_the_input_from_the_schema_set()
    {
        var schemas = RegoSchemaSet.Empty.With(["input"], RegoInputSchema.Parse("""{"type": "object", "additionalProperties": false, "properties": {"dataset": {"type": "object"}}}"""));
        const string Source = "# METADATA\n# schemas:\n#   - input: schema.input\npackage p\n\nx := input.datset.id\n";

        Errors(null, schemas, Source).Single().ToString().ShouldBe("p0.rego:6: rego_type_error: undefined ref: input.datset (did you mean input.dataset?)");
        Errors(null, RegoSchemaSet.Empty, Source).Single().ToString().ShouldBe("p0.rego:1: rego_type_error: undefined schema: schema.input");
    }

    [Fact]
    public void A_block_on_part_of_the_input_narrows_the_given_schema_there_only()
    {
        var input = RegoInputSchema.Parse("""{"type": "object", "additionalProperties": false, "properties": {"dataset": {"type": "object", "additionalProperties": false, "properties": {"extra": {"type": "object"}, "id": {"type": "string"}}}}}""");
        const string Block = "# METADATA\n# schemas:\n#   - input.dataset.extra: {type: object, additionalProperties: false, properties: {kind: {type: string}}}\n";

        Errors(input, null, $"package p\n\n{Block}x := input.dataset.extra.knd\n").Single().Message.ShouldBe("undefined ref: input.dataset.extra.knd (did you mean input.dataset.extra.kind?)");
        Errors(input, null, $"package p\n\n{Block}x := input.dataset.idd\n").Single().Message.ShouldBe("undefined ref: input.dataset.idd (did you mean input.dataset.id?)");
        Errors(input, null, "package p\n\nx := input.dataset.extra.knd\n").ShouldBeEmpty();
    }

    [Fact]
    public void What_a_test_gives_with_with_is_not_held_to_the_schema()
    {
        Errors($"package p\n\n{Settings}\nx := data.settings.commercialPurposes\n\ntest_x if x with data.settings as {{\"other\": 1}}\n\ntest_y if data.settings.other with data.settings as {{\"other\": 1}}\n").ShouldBeEmpty();
    }

    [Fact]
    public void A_schema_directory_names_each_file_by_its_path()
    {
        var directory = Directory.CreateTempSubdirectory("rego-schemas-");
        try
        {
            Directory.CreateDirectory(Path.Combine(directory.FullName, "k8s"));
            File.WriteAllText(Path.Combine(directory.FullName, "k8s", "pod.json"), """{"type": "object", "additionalProperties": false, "properties": {"spec": {"type": "object"}}}""");
            var schemas = RegoSchemaSet.FromDirectory(directory.FullName);

            Errors(null, schemas, "package p\n\n# METADATA\n# schemas:\n#   - input: schema.k8s.pod\nx := input.spc\n").Single().Message.ShouldBe("undefined ref: input.spc (did you mean input.spec?)");

            File.WriteAllText(Path.Combine(directory.FullName, "broken.json"), "[1]");
            Should.Throw<System.Text.Json.JsonException>(() => RegoSchemaSet.FromDirectory(directory.FullName)).Message.ShouldStartWith("broken.json: ");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_policy_with_declared_schemas_still_evaluates_as_written()
    {
        var policy = RegoCompiler.Compile(
            [new RegoModule("p.rego", $"package p\n\n{Settings}\ncommercial if input.purpose in data.settings.commercialPurposes\n")],
            JsonNode.Parse("""{"settings": {"commercialPurposes": ["ads"], "retentionDays": 30}}"""));
        policy.Evaluate("data.p.commercial", JsonNode.Parse("""{"purpose": "ads"}""")).Value!.ToJsonString().ShouldBe("true");
    }
}
