namespace BalticAI.Sovereignty.Rego.Tests.Typing;

/// <summary>METADATA blocks are read as OPA reads them: what OPA refuses to load, a checking compile refuses too.</summary>
public sealed class AnnotationTests
{
    private static IReadOnlyList<RegoError> Errors(params string[] sources) => CheckedCompile.Errors(null, RegoSchemaSet.Empty, sources);

    private static string Only(params string[] sources)
    {
        var errors = Errors(sources);
        errors.Count.ShouldBe(1, string.Join("\n", errors));
        return errors[0].ToString();
    }

    [Fact]
    public void Blocks_as_the_shipped_bundle_writes_them_compile_and_evaluate()
    {
        var policy = RegoCompiler.Compile([new RegoModule("p.rego", """
            # METADATA
            # title: Releases
            # description: >-
            #   Long text,
            #   folded.
            # authors:
            #   - Data Office <data@example.eu>
            #   - name: Someone
            # related_resources:
            #   - https://example.eu/rules
            #   - ref: https://example.eu/more
            #     description: more
            # organizations: [Example]
            # custom:
            #   sources: [GDPR Art. 5]
            package p

            # METADATA
            # title: Allowed
            # entrypoint: true
            allow if input.ok

            # METADATA
            # scope: document
            # title: Every reason
            deny contains "x" if not input.ok

            # A comment that mentions METADATA in passing is no block.
            deny contains "y" if false
            """)]);

        policy.Evaluate("data.p.allow", System.Text.Json.Nodes.JsonNode.Parse("""{"ok": true}""")).Value!.ToJsonString().ShouldBe("true");
    }

    [Fact]
    public void A_block_that_is_not_yaml_is_a_parse_error_at_its_line()
    {
        var error = Only("package p\n\n# METADATA\n# title: [unclosed\nallow := true\n");
        error.ShouldStartWith("p0.rego:");
        error.ShouldContain("rego_parse_error: yaml: line ");
    }

    [Fact]
    public void A_block_with_nothing_below_its_opening_line_is_refused()
    {
        Only("package p\n\n# METADATA\nallow := true\n").ShouldBe("p0.rego:3: rego_parse_error: expected METADATA block, found whitespace");
    }

    [Fact]
    public void Lines_not_at_the_first_column_end_the_block()
    {
        Only("package p\n\n# METADATA\n  # title: indented\nallow := true\n").ShouldBe("p0.rego:3: rego_parse_error: expected METADATA block, found whitespace");
    }

    [Theory]
    [InlineData("# scope: package\nallow := true", "annotation scope 'package' must be applied to package (have rule)")]
    [InlineData("# scope: subpackages\nallow := true", "annotation scope 'subpackages' must be applied to package (have rule)")]
    [InlineData("# scope: everything\nallow := true", "invalid annotation scope 'everything'. Use one of 'rule', 'document', 'package', or 'subpackages'")]
    [InlineData("# entrypoint: true\n# scope: rule\nallow := true", "annotation entrypoint applied to non-document or package scope 'rule'")]
    [InlineData("# schemas:\n#   - input: other.input\nallow := true", "invalid schema reference")]
    [InlineData("# schemas:\n#   - input: [1]\nallow := true", "invalid schema declaration for path \"input\"")]
    [InlineData("# schemas:\n#   - \"input[\": schema.input\nallow := true", "invalid document reference")]
    [InlineData("# authors:\n#   - {}\nallow := true", "invalid author definition {}: 'name' and/or 'email' values required in object")]
    [InlineData("# related_resources:\n#   - description: no ref\nallow := true", "invalid related-resource definition {\"description\":\"no ref\"}: 'ref' value required in object")]
    [InlineData("# title: [a, b]\nallow := true", "yaml: unmarshal errors: title: cannot unmarshal !!seq into string")]
    [InlineData("# entrypoint: maybe\nallow := true", "yaml: unmarshal errors: entrypoint: cannot unmarshal !!str into bool")]
    public void What_OPA_refuses_in_a_block_is_refused(string block, string message)
    {
        Only($"package p\n\n# METADATA\n{block}\n").ShouldBe($"p0.rego:3: rego_parse_error: {message}");
    }

    [Fact]
    public void A_block_above_an_import_is_refused()
    {
        Only("package p\n\n# METADATA\n# title: x\nimport data.q\n\nallow := true\n")
            .ShouldBe("p0.rego:3: rego_parse_error: invalid annotation scope 'import'. Use one of 'rule', 'document', 'package', or 'subpackages'");
    }

    [Fact]
    public void A_package_annotated_in_two_modules_is_a_type_error_naming_the_first()
    {
        Only("# METADATA\n# title: one\npackage p\n\na := 1\n", "# METADATA\n# title: two\npackage p\n\nb := 2\n")
            .ShouldBe("p1.rego:1: rego_type_error: package annotation redeclared: p0.rego:1");
    }

    [Fact]
    public void A_document_annotated_twice_is_a_type_error()
    {
        Only("package p\n\n# METADATA\n# scope: document\ndeny contains 1\n\n# METADATA\n# scope: document\ndeny contains 2\n")
            .ShouldBe("p0.rego:7: rego_type_error: document annotation redeclared: p0.rego:3");
    }

    [Fact]
    public void Rule_blocks_may_stand_above_each_definition()
    {
        Errors("package p\n\n# METADATA\n# title: one\ndeny contains 1\n\n# METADATA\n# title: two\ndeny contains 2\n").ShouldBeEmpty();
    }

    [Fact]
    public void A_compile_that_does_not_check_takes_blocks_OPA_would_refuse_as_a_recorded_bundle_must_keep_deciding()
    {
        var modules = new[] { new RegoModule("p0.rego", "# METADATA\n# title: one\npackage p\n\na := 1\n"), new RegoModule("p1.rego", "# METADATA\n# scope: nowhere\npackage p\n\nb := 2\n") };

        Should.Throw<RegoException>(() => RegoCompiler.Compile(modules, schemas: RegoSchemaSet.Empty));
        RegoCompiler.Compile(modules).Evaluate("data.p.b").Value!.ToJsonString().ShouldBe("2");
    }

    [Fact]
    public void Listing_a_bundles_blocks_sorts_them_by_document_and_names_the_ones_it_cannot_read()
    {
        var read = RegoAnnotations.Read([
            new RegoModule("b.rego", "# METADATA\n# title: B\npackage b\n\n# METADATA\n# title: [broken\nx := 1\n"),
            new RegoModule("a.rego", "# METADATA\n# description: A\npackage a\n\n# METADATA\n# title: Y\n# custom: {source: GDPR}\ny := 2\n"),
        ]);

        read.Annotations.Select(a => $"{string.Join('.', a.Path)}@{a.File}:{a.Line}:{a.Annotations["scope"]}").ShouldBe(["a@a.rego:1:package", "a.y@a.rego:5:rule", "b@b.rego:1:package"]);
        read.Annotations[1].Annotations["custom"]!["source"]!.GetValue<string>().ShouldBe("GDPR");
        read.Errors.Single().ToString().ShouldStartWith("b.rego:6: rego_parse_error: yaml: line ");
    }

    [Fact]
    public void A_block_nested_thousands_deep_is_refused_as_a_parse_error_not_a_crash()
    {
        var deep = new string('[', 5000) + new string(']', 5000);

        Only($"package p\n\n# METADATA\n# custom: {{a: {deep}}}\nx := 1\n").ShouldBe("p0.rego:3: rego_parse_error: a METADATA block nests deeper than 100 levels");
        Should.Throw<RegoException>(() => RegoCompiler.Compile([new RegoModule("m.rego", $"package p\n\n# METADATA\n# custom: {{a: {deep}}}\nx := rego.metadata.rule()\n")]))
            .Errors.Single().Message.ShouldBe("a METADATA block nests deeper than 100 levels");
    }
}
