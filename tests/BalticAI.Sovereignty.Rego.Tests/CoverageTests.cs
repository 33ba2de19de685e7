namespace BalticAI.Sovereignty.Rego.Tests;

/// <summary>
/// Line coverage of a test run, counted as `opa test --coverage` counts it: an expression's line when it was
/// evaluated, a rule's head line when the rule produced a value; `some x` declarations, comments and package lines
/// are not counted.
/// </summary>
public sealed class CoverageTests
{
    private const string Policy = """
        package p

        default allow := false

        allow if {
        	input.role == "admin"
        	input.active
        }

        reasons contains "no role" if {
        	not input.role
        }

        label(x) := "big" if {
        	x > 10
        } else := "small"

        names := [n | some n in input.names; n != "x"]

        never if {
        	some y
        	y = 1
        	false
        }

        all_small if {
        	every n in input.nums {
        		n < 5
        	}
        }
        """;

    private const string Tests = """
        package p_test

        import data.p

        test_admin if p.allow with input as {"role": "admin", "active": true}

        test_label if p.label(3) == "small"

        test_names if p.names == ["a"] with input as {"names": ["a", "x"]}

        test_all_small_when_none if p.all_small with input as {"nums": []}
        """;

    private static (RegoCoverageReport Report, IReadOnlyList<RegoTestResult> Results) Run(params RegoModule[] modules)
    {
        var policy = RegoCompiler.Compile(modules);
        var coverage = new RegoCoverage();
        var results = policy.RunTests(coverage);
        return (coverage.Report(policy), results);
    }

    private static (int, int)[] Lines(IReadOnlyList<RegoLineRange> ranges) => ranges.Select(r => (r.Start, r.End)).ToArray();

    [Fact]
    public void Lines_reached_by_the_tests_are_covered_and_the_others_not()
    {
        var (report, results) = Run(new RegoModule("p.rego", Policy), new RegoModule("p_test.rego", Tests));

        results.ShouldAllBe(r => r.Passed);
        var policy = report.Files["p.rego"];
        // allow's body held (5-7); label(3) evaluated its first body (15) and took the else (16); the comprehension ran (18);
        // the every of the last test had nothing to iterate, so its body (28) never ran though its rule held (26-27).
        Lines(policy.Covered).ShouldBe([(5, 7), (15, 16), (18, 18), (26, 27)]);
        // The default was not needed (3), reasons never asked (10-11), label's first head gave no value (14), never's
        // body was not reached (20, 22-23; its `some y` on 21 is not counted), nor the every's body (28).
        Lines(policy.NotCovered).ShouldBe([(3, 3), (10, 11), (14, 14), (20, 20), (22, 23), (28, 28)]);
        policy.CoveredLines.ShouldBe(8);
        policy.NotCoveredLines.ShouldBe(8);
        policy.Coverage.ShouldBe(50);
    }

    [Fact]
    public void Test_modules_are_reported_too_and_the_total_counts_lines_over_every_module()
    {
        var (report, _) = Run(new RegoModule("p.rego", Policy), new RegoModule("p_test.rego", Tests));

        var tests = report.Files["p_test.rego"];
        Lines(tests.Covered).ShouldBe([(5, 5), (7, 7), (9, 9), (11, 11)]);
        tests.NotCovered.ShouldBeEmpty();
        tests.Coverage.ShouldBe(100);
        report.Coverage.ShouldBe(60); // (8 + 4) of (16 + 4)
        report.CoveredLines.ShouldBe(12);
        report.CountedLines.ShouldBe(20);
    }

    [Fact]
    public void A_default_is_covered_when_its_value_is_used_and_a_failing_test_leaves_its_head_uncovered()
    {
        var (report, results) = Run(
            new RegoModule("p.rego", Policy),
            new RegoModule("q_test.rego", "package q_test\n\nimport data.p\n\ntest_denied if not p.allow\n\ntest_wrong if {\n\tp.label(11) == \"small\"\n}\n"));

        results.Single(r => r.Name == "data.q_test.test_denied").Passed.ShouldBeTrue();
        results.Single(r => r.Name == "data.q_test.test_wrong").Failed.ShouldBeTrue();
        report.Files["p.rego"].Covered.ShouldContain(new RegoLineRange(3, 3));
        // label(11) took its first body (14-15), so the else (16) was never needed.
        Lines(report.Files["p.rego"].Covered).ShouldContain((14, 15));
        report.Files["p.rego"].NotCovered.ShouldContain(new RegoLineRange(16, 16));
        // The failing test's expression ran (8) but its head gave no value (7).
        Lines(report.Files["q_test.rego"].NotCovered).ShouldBe([(7, 7)]);
        Lines(report.Files["q_test.rego"].Covered).ShouldBe([(5, 5), (8, 8)]);
    }

    [Fact]
    public void A_partial_set_rule_is_covered_once_it_gives_an_element()
    {
        var (report, _) = Run(
            new RegoModule("p.rego", Policy),
            new RegoModule("r_test.rego", "package r_test\n\nimport data.p\n\ntest_reason if \"no role\" in p.reasons with input as {}\n"));

        Lines(report.Files["p.rego"].Covered).ShouldContain((10, 11));
    }

    [Fact]
    public void Without_a_collector_the_tests_give_the_same_results()
    {
        var policy = RegoCompiler.Compile([new RegoModule("p.rego", Policy), new RegoModule("p_test.rego", Tests)]);

        var plain = policy.RunTests().Select(r => (r.Name, r.Passed));
        var covered = policy.RunTests(new RegoCoverage()).Select(r => (r.Name, r.Passed));

        covered.ShouldBe(plain);
    }

    [Fact]
    public void A_module_no_test_reaches_is_reported_with_nothing_covered()
    {
        var (report, _) = Run(new RegoModule("p.rego", Policy), new RegoModule("empty_test.rego", "package empty_test\n\ntest_nothing if true\n"));

        var policy = report.Files["p.rego"];
        policy.Covered.ShouldBeEmpty();
        policy.NotCoveredLines.ShouldBe(16);
        policy.Coverage.ShouldBe(0);
    }
}
