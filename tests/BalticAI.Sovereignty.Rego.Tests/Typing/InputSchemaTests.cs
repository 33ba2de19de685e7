namespace BalticAI.Sovereignty.Rego.Tests.Typing;

public sealed class InputSchemaTests
{
    private static readonly RegoInputSchema Schema = RegoInputSchema.Parse("""
        {
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "time": {"type": "string"},
            "dataset": {
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "id": {"type": "string"},
                "status": {"enum": ["active", "restricted", "withdrawn"]},
                "personal": {"type": "boolean"},
                "licensing": {"$ref": "#/$defs/licensing"},
                "derivedFrom": {"type": "array", "items": {"type": "object", "additionalProperties": false, "properties": {"id": {"type": "string"}}}},
                "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                "extra": {"type": "object"}
              }
            },
            "job": {
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "baseModel": {"oneOf": [{"type": "null"}, {"type": "object", "additionalProperties": false, "properties": {"name": {"type": "string"}}}]}
              }
            }
          },
          "$defs": {
            "licensing": {"type": "object", "additionalProperties": false, "properties": {"licence": {"type": ["string", "null"]}, "restrictions": {"type": "array", "items": {"enum": ["nc", "nd", "research-only"]}}}}
          }
        }
        """);

    private static IReadOnlyList<RegoError> Errors(params string[] sources) => CheckedCompile.Errors(Schema, null, sources);

    private static string Only(params string[] sources)
    {
        var errors = Errors(sources);
        errors.Count.ShouldBe(1, string.Join("\n", errors));
        errors[0].Kind.ShouldBe(RegoErrorKind.TypeError);
        errors[0].Code.ShouldBe("rego_type_error");
        return errors[0].ToString();
    }

    [Fact]
    public void A_key_the_schema_does_not_have_is_an_undefined_ref_with_the_nearest_key()
    {
        Only("package p\n\ndeny if input.dataset.licencing.licence == \"cc-by-nc\"")
            .ShouldBe("p0.rego:3: rego_type_error: undefined ref: input.dataset.licencing (did you mean input.dataset.licensing?)");
    }

    [Fact]
    public void A_negated_typo_which_would_always_hold_is_refused()
    {
        Only("package p\n\nallow if not input.dataset.licensing.restriction").ShouldContain("undefined ref: input.dataset.licensing.restriction (did you mean input.dataset.licensing.restrictions?)");
    }

    [Fact]
    public void A_key_far_from_every_key_lists_the_keys_there_are()
    {
        Only("package p\n\nx := input.job.operator").ShouldContain("undefined ref: input.job.operator (input.job has \"baseModel\")");
    }

    [Fact]
    public void Nothing_is_looked_up_in_a_string()
    {
        Only("package p\n\nx := input.time.year").ShouldContain("undefined ref: input.time.year (input.time is a string)");
    }

    [Fact]
    public void Types_follow_local_variables_iteration_and_comprehensions()
    {
        Only("package p\n\nx if {\n\td := input.dataset\n\td.licensing.licnce\n}").ShouldContain("p0.rego:5: rego_type_error: undefined ref: d.licensing.licnce");
        Only("package p\n\nx if {\n\tsome parent in input.dataset.derivedFrom\n\tparent.idd == \"a\"\n}").ShouldContain("undefined ref: parent.idd (did you mean parent.id?)");
        Only("package p\n\nx := [p.name | some p in input.dataset.derivedFrom]").ShouldContain("undefined ref: p.name (p has \"id\")");
        Only("package p\n\nx if {\n\tevery p in input.dataset.derivedFrom {\n\t\tp.ids != \"\"\n\t}\n}").ShouldContain("undefined ref: p.ids");
    }

    [Fact]
    public void Types_follow_rules_into_other_packages()
    {
        Only("package lib\n\ndataset := input.dataset", "package q\n\nimport data.lib\n\nx := lib.dataset.licensing.licenc")
            .ShouldContain("p1.rego:5: rego_type_error: undefined ref: data.lib.dataset.licensing.licenc (did you mean data.lib.dataset.licensing.licence?)");
    }

    [Fact]
    public void A_rule_read_under_with_input_has_the_value_the_expression_gives()
    {
        Errors("package lib\n\ndataset := input.dataset",
            "package q_test\n\nimport data.lib\n\ntest_mocked if lib.dataset.mocked == 1 with input as {\"dataset\": {\"mocked\": 1}}").ShouldBeEmpty();
    }

    [Fact]
    public void Object_get_with_a_constant_key_or_path_is_checked_as_a_reference()
    {
        Only("package p\n\nx := object.get(input.dataset, \"licencing\", {})").ShouldContain("object.get: input.dataset.licencing is never there, so the call always gives its default (did you mean input.dataset.licensing?)");
        Only("package p\n\nx := object.get(input, [\"dataset\", \"licensing\", \"restriction\"], [])").ShouldContain("object.get: input.dataset.licensing.restriction is never there");
    }

    [Fact]
    public void A_function_is_followed_for_the_constants_it_is_called_with_and_the_error_is_at_the_call()
    {
        var errors = Errors(
            "package lib\n\nds := object.get(input, \"dataset\", {})\n\nget(path) := object.get(ds, path, null)\n\nhas(name) if get([\"licensing\", name]) != null",
            "package q\n\nimport data.lib\n\nok if lib.has(\"licence\")\n\nbad if lib.has(\"licnce\")");
        errors.Count.ShouldBe(1, string.Join("\n", errors));
        errors[0].ToString().ShouldBe("p1.rego:7: rego_type_error: lib.has(\"licnce\"): object.get: data.lib.ds.licensing.licnce is never there, so the call always gives its default (did you mean data.lib.ds.licensing.licence?)");
    }

    [Fact]
    public void A_function_whose_definitions_pick_by_argument_is_refused_only_when_none_fits()
    {
        const string Lib = "package lib\n\nfield(k) := object.get(input.dataset, k, null) if k in {\"id\"}\n\nfield(k) := object.get(input.job, k, null) if k in {\"baseModel\"}";
        Errors(Lib, "package q\n\nimport data.lib\n\nx := lib.field(\"baseModel\")\n\ny := lib.field(\"id\")").ShouldBeEmpty();
        var errors = Errors(Lib, "package q\n\nimport data.lib\n\nx := lib.field(\"name\")");
        errors.Select(e => e.ToString()).ShouldBe([
            "p1.rego:5: rego_type_error: lib.field(\"name\"): object.get: input.dataset.name is never there, so the call always gives its default (input.dataset has \"derivedFrom\", \"extra\", \"id\", \"labels\", \"licensing\", \"personal\", \"status\")",
            "p1.rego:5: rego_type_error: lib.field(\"name\"): object.get: input.job.name is never there, so the call always gives its default (input.job has \"baseModel\")",
        ]);
    }

    [Fact]
    public void What_reads_the_default_of_a_refused_object_get_is_not_refused_again()
    {
        Only("package p\n\nget(path) := object.get(input.dataset, path, null)\n\nx if get([\"idd\"]) == \"a\"")
            .ShouldContain("get([\"idd\"]): object.get: input.dataset.idd is never there");
    }

    [Fact]
    public void An_error_in_the_function_itself_is_reported_once_where_it_is()
    {
        var errors = Errors("package p\n\nf(x) := input.dataset.idd\n\ny := f(1)\n\nz := f(2)");
        errors.Select(e => e.ToString()).ShouldBe(["p0.rego:3: rego_type_error: undefined ref: input.dataset.idd (did you mean input.dataset.id?)"]);
    }

    [Fact]
    public void What_the_schema_leaves_open_and_what_a_test_gives_with_input_are_not_refused()
    {
        Errors("""
            package p

            labels contains v if some v in input.dataset.labels.anything
            extra := input.dataset.extra.whatever.deeper
            base := input.job.baseModel.name
            any_key contains v if some v in input.dataset[k]
            dynamic := input.dataset[input.time]
            via_default := object.get(object.get(input, "dataset", {}), ["licensing", "licence"], null)
            test_mocked if input.unknown.field == 1 with input as {"unknown": {"field": 1}}
            local := {"a": 1}.a
            literal_default := object.get({"a": 1}, "b", 0)
            """).ShouldBeEmpty();
    }

    [Fact]
    public void Helpers_calling_helpers_with_constants_many_times_over_are_followed_only_so_far()
    {
        // 4^14 calls if every one were followed; the checker stops following and the typo at the bottom is reported once.
        var levels = Enumerable.Range(1, 14).Select(i => $"f{i}(k) := [f{i + 1}(\"a\"), f{i + 1}(\"b\"), f{i + 1}(\"c\"), f{i + 1}(\"d\")]");
        var source = "package p\n\n" + string.Join("\n\n", levels) + "\n\nf15(k) := input.dataset.idd\n\nx := f1(\"z\")";

        Errors(source).Select(e => e.Message).ShouldBe(["undefined ref: input.dataset.idd (did you mean input.dataset.id?)"]);
    }

    [Fact]
    public void A_builtin_operand_no_value_of_the_type_can_fill_is_refused_as_its_call_would_always_fail()
    {
        Only("package p\n\ndeny if startswith(input.dataset.derivedFrom, \"x\")")
            .ShouldContain("p0.rego:3: rego_type_error: startswith: invalid argument(s): operand 1 must be string, but input.dataset.derivedFrom is an array");
        Only("package p\n\nmsg := sprintf(\"dataset %s\", input.dataset.id)")
            .ShouldContain("sprintf: invalid argument(s): operand 2 must be array, but input.dataset.id is a string");
        Only("package p\n\nn := abs(input.job.baseModel)")
            .ShouldContain("abs: invalid argument(s): operand 1 must be number, but input.job.baseModel is a null or an object");
    }

    [Fact]
    public void An_operand_that_may_be_of_the_kind_or_a_replaced_builtin_is_not_refused()
    {
        Errors("""
            package p

            licence := lower(input.dataset.licensing.licence)
            restricted := count(input.dataset.licensing.restrictions)
            mocked if startswith(input.dataset.derivedFrom, "x") with startswith as true
            """).ShouldBeEmpty();
    }

    [Fact]
    public void A_comparison_with_a_value_the_schema_does_not_list_never_holds_and_is_refused()
    {
        Only("package p\n\ndeny if input.dataset.status == \"retired\"")
            .ShouldContain("p0.rego:3: rego_type_error: input.dataset.status == \"retired\" never holds: input.dataset.status is one of \"active\", \"restricted\", \"withdrawn\"");
        Only("package p\n\nallow if input.dataset.status != \"withdrwn\"").ShouldContain("input.dataset.status != \"withdrwn\" always holds");
        Only("package p\n\ndeny if input.dataset.personal = \"yes\"").ShouldContain("input.dataset.personal = \"yes\" never holds: input.dataset.personal is a boolean");
        Only("package p\n\nallow if not input.dataset.personal == \"no\"").ShouldContain("input.dataset.personal == \"no\" never holds");
        Only("package p\n\ndeny if \"research_only\" in input.dataset.licensing.restrictions")
            .ShouldContain("\"research_only\" in input.dataset.licensing.restrictions never holds: each element of input.dataset.licensing.restrictions is one of \"nc\", \"nd\", \"research-only\"");
        Only("package p\n\ndeny if input.dataset.id == input.dataset.personal").ShouldContain("never holds: input.dataset.id is a string");
    }

    [Fact]
    public void A_comparison_some_input_can_make_hold_is_not_refused()
    {
        Errors("""
            package p

            a if input.dataset.status == "active"
            b if input.dataset.licensing.licence == null
            c if input.dataset.licensing.licence == "MIT"
            d if "nc" in input.dataset.licensing.restrictions
            e if input.dataset.personal == true
            f if input.dataset.labels.any == "x"
            g if input.dataset.status == input.dataset.id
            h if {
            	s := input.dataset.status
            	s = "restricted"
            }
            """).ShouldBeEmpty();
    }

    [Fact]
    public void Without_a_schema_nothing_is_checked()
    {
        RegoCompiler.Compile([new RegoModule("p.rego", "package p\n\nx := input.dataset.licencing")]).Evaluate("data.p.x").IsDefined.ShouldBeFalse();
    }

    [Fact]
    public void A_constant_object_has_only_its_keys()
    {
        Only("package p\n\nsettings := {\"eu\": [\"PL\"]}\n\nx := settings.settings.eu").ShouldContain("undefined ref: data.p.settings.settings (data.p.settings has \"eu\")");
    }

    [Fact]
    public void A_schema_that_is_no_object_is_refused()
    {
        Should.Throw<System.Text.Json.JsonException>(() => RegoInputSchema.Parse("[]"));
    }
}
