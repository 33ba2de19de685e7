using System.Text.Json.Nodes;

namespace BalticAI.Sovereignty.Rego.Tests.Typing;

/// <summary>`rego.metadata.chain()` and `rego.metadata.rule()` give a rule's METADATA blocks as OPA gives them.</summary>
public sealed class MetadataBuiltinTests
{
    private static JsonNode? Value(string query, params string[] sources) =>
        RegoCompiler.Compile(sources.Select((s, i) => new RegoModule($"m{i}.rego", s))).Evaluate(query).Value;

    private static void ShouldBeJson(JsonNode? actual, string expected) =>
        JsonNode.DeepEquals(actual, JsonNode.Parse(expected)).ShouldBeTrue(actual?.ToJsonString());

    [Fact]
    public void The_chain_runs_from_the_rule_to_its_package_with_each_block_as_OPA_writes_it()
    {
        var chain = Value("data.audit.rules.reasons", """
            # METADATA
            # description: Audit rules
            # organizations: [Baltic AI Office]
            package audit.rules

            # METADATA
            # title: Every reason
            # authors:
            #   - Data Office <office@example.eu>
            #   - name: Reviewer
            # related_resources:
            #   - https://example.eu/a
            #   - ref: https://example.eu/b
            #     description: the second
            # custom:
            #   severity: high
            reasons := rego.metadata.chain()
            """);

        ShouldBeJson(chain, """
            [
              {"path": ["audit", "rules", "reasons"], "annotations": {
                "scope": "rule", "title": "Every reason",
                "authors": [{"name": "Data Office", "email": "office@example.eu"}, {"name": "Reviewer"}],
                "related_resources": [{"ref": "https://example.eu/a"}, {"ref": "https://example.eu/b", "description": "the second"}],
                "custom": {"severity": "high"}}},
              {"path": ["audit", "rules"], "annotations": {"scope": "package", "description": "Audit rules", "organizations": ["Baltic AI Office"]}}
            ]
            """);
    }

    [Fact]
    public void A_rule_without_a_block_leads_its_chain_with_its_path_alone_and_finds_its_package_block_in_another_file()
    {
        var chain = Value("data.p.x", "# METADATA\n# description: Shared\npackage p\n", "package p\n\nx := rego.metadata.chain()\n");

        ShouldBeJson(chain, """[{"path": ["p", "x"]}, {"path": ["p"], "annotations": {"scope": "package", "description": "Shared"}}]""");
    }

    [Fact]
    public void The_rule_block_comes_before_the_document_block_and_subpackages_blocks_come_last_nearest_first()
    {
        var chain = Value("data.a.b.x",
            "# METADATA\n# scope: subpackages\n# title: root\npackage a\n",
            "# METADATA\n# scope: subpackages\n# title: middle\npackage a.b\n\n# METADATA\n# scope: document\n# title: the document\nx := 1 if false\n\n# METADATA\n# title: this one\nx := rego.metadata.chain()\n");

        chain!.AsArray().Select(e => $"{string.Join('.', e!["path"]!.AsArray().Select(p => p!.GetValue<string>()))}:{e["annotations"]!["scope"]}:{e["annotations"]!["title"]}")
            .ShouldBe(["a.b.x:rule:this one", "a.b.x:document:the document", "a.b:subpackages:middle", "a:subpackages:root"]);
    }

    [Fact]
    public void The_rule_builtin_gives_the_nearest_rule_block_or_an_empty_object()
    {
        const string Source = """
            package p

            # METADATA
            # title: Allowed
            # custom:
            #   rule: origin
            allow := rego.metadata.rule()

            # METADATA
            # entrypoint: true
            decision := rego.metadata.rule()

            bare := rego.metadata.rule()
            """;

        ShouldBeJson(Value("data.p.allow", Source), """{"scope": "rule", "title": "Allowed", "custom": {"rule": "origin"}}""");
        ShouldBeJson(Value("data.p.decision", Source), "{}");
        ShouldBeJson(Value("data.p.bare", Source), "{}");
    }

    [Fact]
    public void A_reason_can_take_its_rule_id_from_the_block_above_it()
    {
        var reasons = Value("data.p.deny", """
            package p

            # METADATA
            # title: Undocumented origin
            # custom:
            #   rule: documented-origin
            #   source: AI Act Art. 10(2)
            deny contains {"rule": meta.custom.rule, "source": meta.custom.source} if {
            	meta := rego.metadata.rule()
            }
            """);

        ShouldBeJson(reasons, """[{"rule": "documented-origin", "source": "AI Act Art. 10(2)"}]""");
    }

    [Fact]
    public void Schemas_appear_as_paths_with_a_schema_reference_or_a_definition()
    {
        var rule = Value("data.p.x", "package p\n\n# METADATA\n# schemas:\n#   - input: schema.input\n#   - data.settings: {type: object}\nx := rego.metadata.rule()\n");

        ShouldBeJson(rule, """{"scope": "rule", "schemas": [{"path": ["input"], "schema": ["schema", "input"]}, {"path": ["data", "settings"], "definition": {"type": "object"}}]}""");
    }

    [Fact]
    public void A_policy_calling_rego_metadata_is_refused_for_a_block_OPA_would_refuse_even_without_the_check()
    {
        var error = Should.Throw<RegoException>(() => RegoCompiler.Compile([new RegoModule("m.rego", "package p\n\n# METADATA\n# scope: package\nx := rego.metadata.chain()\n")]));

        error.Errors.Single().ToString().ShouldBe("m.rego:3: rego_parse_error: annotation scope 'package' must be applied to package (have rule)");
    }
}
