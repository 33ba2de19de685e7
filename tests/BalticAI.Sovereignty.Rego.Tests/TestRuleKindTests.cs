namespace BalticAI.Sovereignty.Rego.Tests;

/// <summary>
/// Every rule whose head names a test is one, whatever its kind, and is judged as OPA's tester judges it
/// (tester/runner.go: shouldRun, runTest, subResults): true passes; a partial object is judged case by case.
/// </summary>
public sealed class TestRuleKindTests
{
    private static IReadOnlyList<RegoTestResult> Run(string source) =>
        RegoCompiler.Compile([new RegoModule("p_test.rego", "package p_test\n\n" + source)]).RunTests();

    private static IEnumerable<(string Name, bool Passed)> Flat(IReadOnlyList<RegoTestCase> cases, string prefix = "") =>
        cases.SelectMany(c => new[] { (prefix + c.Name, c.Passed) }.Concat(Flat(c.Cases, prefix + c.Name + "/")));

    [Theory]
    [InlineData("test_x contains 1 if true")]
    [InlineData("test_x contains x if some x in []")]
    public void A_partial_set_test_is_run_and_fails_full_or_empty_for_a_set_is_never_true(string rule)
    {
        var result = Run(rule).ShouldHaveSingleItem();

        result.Name.ShouldBe("data.p_test.test_x");
        result.Failed.ShouldBeTrue();
        result.Error.ShouldBeNull();
    }

    [Fact]
    public void A_partial_object_test_passes_when_every_case_is_true_and_names_each_case()
    {
        var result = Run("test_cases[x] if some x in [\"foo\", \"bar\"]").ShouldHaveSingleItem();

        result.Passed.ShouldBeTrue();
        Flat(result.Cases).ShouldBe([("bar", true), ("foo", true)]);
    }

    [Fact]
    public void A_partial_object_case_whose_body_fails_after_its_key_is_bound_fails_the_test_under_that_case()
    {
        var result = Run("test_cases[x] if {\n\tsome x in [\"foo\", \"bar\", \"baz\"]\n\tx != \"bar\"\n}").ShouldHaveSingleItem();

        result.Failed.ShouldBeTrue();
        Flat(result.Cases).ShouldBe([("bar", false), ("baz", true), ("foo", true)]);
    }

    [Fact]
    public void A_partial_object_test_whose_every_case_fails_fails_though_its_object_is_empty()
    {
        var result = Run("test_cases[x] if {\n\tsome x in [\"foo\", \"bar\"]\n\tfalse\n}").ShouldHaveSingleItem();

        result.Failed.ShouldBeTrue();
        Flat(result.Cases).ShouldBe([("bar", false), ("foo", false)]);
    }

    [Fact]
    public void A_partial_object_test_with_no_case_at_all_passes_as_in_opa()
    {
        Run("test_cases[x] if some x in []").ShouldHaveSingleItem().Passed.ShouldBeTrue();
    }

    [Fact]
    public void A_partial_object_case_whose_value_is_not_true_fails()
    {
        var result = Run("test_cases[x] := x if some x in [true, 1]").ShouldHaveSingleItem();

        result.Failed.ShouldBeTrue();
        Flat(result.Cases).ShouldBe([("1", false), ("true", true)]);
    }

    [Fact]
    public void Nested_cases_fail_their_group_and_the_test()
    {
        var result = Run("test_cases[x][y] if {\n\tsome x in [\"foo\", \"bar\"]\n\tsome y in [\"do\", \"re\"]\n\tnot f(x, y)\n}\n\n" +
            "f(x, y) if {\n\tx == \"foo\"\n\ty == \"re\"\n}").ShouldHaveSingleItem();

        result.Failed.ShouldBeTrue();
        Flat(result.Cases).ShouldBe([("bar", true), ("bar/do", true), ("bar/re", true), ("foo", false), ("foo/do", true), ("foo/re", false)]);
    }

    [Fact]
    public void A_function_named_test_is_run_and_fails_for_its_reference_names_no_document()
    {
        var result = Run("test_f(x) := true if x == 1").ShouldHaveSingleItem();

        result.Name.ShouldBe("data.p_test.test_f");
        result.Failed.ShouldBeTrue();
        result.Error.ShouldBe("undefined");
    }

    [Fact]
    public void A_ref_head_going_on_past_the_test_name_is_that_test_and_fails_for_an_object_is_not_true()
    {
        var result = Run("test_x.foo := true").ShouldHaveSingleItem();

        result.Name.ShouldBe("data.p_test.test_x");
        result.Failed.ShouldBeTrue();
    }

    [Fact]
    public void A_ref_head_ending_in_the_test_name_is_named_by_its_whole_ref_and_numbered_as_a_string_key()
    {
        Run("a.b.test_x if false\n\na.b.test_x if true").Select(r => (r.Name, r.Passed))
            .ShouldBe([("data.p_test.a.b.test_x", false), ("data.p_test.a.b[\"test_x#01\"]", true)]);
    }

    [Fact]
    public void Definitions_of_a_partial_test_are_numbered_and_run_alone_as_complete_ones_are()
    {
        Run("test_x[x] if some x in [\"a\"]\n\ntest_x[x] if {\n\tsome x in [\"b\"]\n\tfalse\n}").Select(r => (r.Name, r.Passed))
            .ShouldBe([("data.p_test.test_x", true), ("data.p_test.test_x#01", false)]);
    }

    [Fact]
    public void A_todo_test_is_reported_skipped_without_being_evaluated_and_fails_nothing()
    {
        var result = Run("todo_test_later if 1 / 0 == 1").ShouldHaveSingleItem();

        result.Name.ShouldBe("data.p_test.todo_test_later");
        result.Skipped.ShouldBeTrue();
        result.Failed.ShouldBeFalse();
        result.Passed.ShouldBeFalse();
        result.Error.ShouldBeNull();
    }
}
