using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;

namespace BalticAI.Sovereignty.Api.Tests.Policies;

/// <summary>
/// Activation runs the same tests `balticai policy test` and `opa test` run, partial ones included: a failing
/// partial object test refuses the bundle as a failing complete one does, and a `todo_test_` rule refuses nothing.
/// </summary>
public sealed class PartialTestRuleActivationTests(BrokerFactory broker) : IClassFixture<BrokerFactory>, IAsyncLifetime
{
    private const string FailingCase = """
        package balticai.partial_test

        todo_test_later if false

        test_cases[x] if {
        	some x in ["eu", "us"]
        	x != "us"
        }
        """;

    public Task InitializeAsync() => WaitForShippedBundleAsync(broker);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_bundle_whose_partial_object_test_has_a_failing_case_is_422_naming_the_test_and_its_case_and_records_nothing()
    {
        var refusal = await BundleTestRefusal.RefusedAsync(broker, "partial-test", "partial/partial_test.rego", FailingCase);

        refusal.ShouldBe(["partial/partial_test.rego: data.balticai.partial_test.test_cases: FAIL", "  us: FAIL"]);
    }

    [Fact]
    public async Task A_partial_object_test_with_many_failing_cases_names_the_first_ten_in_order_and_counts_the_rest()
    {
        var refusal = await BundleTestRefusal.RefusedAsync(broker, "partial-test-many", "partial/many_test.rego",
            "package balticai.many_test\n\ntest_cases[x] if {\n\tsome x in numbers.range(10, 23)\n\tx < 10\n}\n");

        refusal.ShouldBe(
        [
            "partial/many_test.rego: data.balticai.many_test.test_cases: FAIL",
            .. Enumerable.Range(10, 10).Select(n => $"  {n}: FAIL"),
            "  ... 4 more failing cases not shown",
        ]);
    }
}
