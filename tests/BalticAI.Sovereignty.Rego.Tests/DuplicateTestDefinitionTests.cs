namespace BalticAI.Sovereignty.Rego.Tests;

/// <summary>
/// A `test_` rule defined several times is several tests, each definition run alone and named as `opa test` names
/// it (`test_a`, `test_a#01`, ...; open-policy-agent/opa#982), so a true definition cannot hide a false one.
/// </summary>
public sealed class DuplicateTestDefinitionTests
{
    private static IEnumerable<(string Name, bool Passed)> Run(params (string File, string Source)[] modules) =>
        RegoCompiler.Compile(modules.Select(m => new RegoModule(m.File, m.Source))).RunTests().Select(r => (r.Name, r.Passed));

    [Fact]
    public void A_false_second_definition_fails_as_its_own_numbered_test_while_the_first_passes()
    {
        Run(("p_test.rego", "package p_test\n\ntest_x if true\n\ntest_x if false"))
            .ShouldBe([("data.p_test.test_x", true), ("data.p_test.test_x#01", false)]);
    }

    [Fact]
    public void Definitions_across_files_of_a_package_are_numbered_by_file_path_then_source_order_under_their_own_file()
    {
        var policy = RegoCompiler.Compile([
            new RegoModule("b_test.rego", "package p_test\n\ntest_x if 1 == 1"),
            new RegoModule("a_test.rego", "package p_test\n\ntest_x if false\n\ntest_x if true"),
        ]);

        policy.RunTests().Select(r => (r.Name, r.File, r.Passed)).ShouldBe([
            ("data.p_test.test_x", "a_test.rego", false),
            ("data.p_test.test_x#01", "a_test.rego", true),
            ("data.p_test.test_x#02", "b_test.rego", true),
        ]);
    }

    [Fact]
    public void Definitions_that_would_conflict_as_one_rule_are_each_run_alone_and_fail_for_not_being_true()
    {
        var results = RegoCompiler.Compile([
            new RegoModule("a_test.rego", "package p_test\n\ntest_a := 1 if true"),
            new RegoModule("b_test.rego", "package p_test\n\ntest_a := 2 if true"),
        ]).RunTests();

        results.Select(r => (r.Name, r.Passed, r.Error)).ShouldBe([("data.p_test.test_a", false, null), ("data.p_test.test_a#01", false, null)]);
    }

    [Fact]
    public void A_definition_that_conflicts_with_itself_fails_with_the_evaluation_error()
    {
        var result = RegoCompiler.Compile([new RegoModule("p_test.rego", "package p_test\n\ntest_a := x if some x in [1, 2]")]).RunTests().ShouldHaveSingleItem();

        result.Passed.ShouldBeFalse();
        result.Error.ShouldNotBeNull().ShouldContain("conflicting values");
    }

    [Fact]
    public void An_else_chain_belongs_to_its_definition()
    {
        Run(("p_test.rego", "package p_test\n\ntest_x if false else := true\n\ntest_x if false"))
            .ShouldBe([("data.p_test.test_x", true), ("data.p_test.test_x#01", false)]);
    }

    [Fact]
    public void A_default_rule_is_a_definition_of_its_own_counted_where_it_stands()
    {
        Run(("p_test.rego", "package p_test\n\ntest_x if true\n\ndefault test_x := false"))
            .ShouldBe([("data.p_test.test_x", true), ("data.p_test.test_x#01", false)]);
    }

    [Fact]
    public void A_numbered_definition_of_a_ref_head_test_is_named_by_a_string_key_as_opa_prints_it()
    {
        Run(("p_test.rego", "package p_test\n\na.b.test_x if true\n\na.b.test_x if false"))
            .ShouldBe([("data.p_test.a.b.test_x", true), ("data.p_test.a.b[\"test_x#01\"]", false)]);
    }
}
