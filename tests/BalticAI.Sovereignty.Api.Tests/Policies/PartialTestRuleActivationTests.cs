using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Platform.ProblemAndOpenApiTests;

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
        var activations = await CountEventsAsync(broker, "policy_bundle_activated");
        var bundle = Bundle("partial-test");
        bundle["modules"]!.AsArray().Add(new JsonObject { ["path"] = "partial/partial_test.rego", ["source"] = FailingCase });

        var response = await broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin).PostJsonAsync("/policies/bundles", bundle);

        var problem = await ShouldBeProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        problem["detail"]!.GetValue<string>().ShouldBe("the bundle's tests fail");
        problem["errors"]!["modules"]!.AsArray().Select(e => e!.GetValue<string>())
            .ShouldBe(["partial/partial_test.rego: data.balticai.partial_test.test_cases: FAIL", "  us: FAIL"]);
        (await CountEventsAsync(broker, "policy_bundle_activated")).ShouldBe(activations);
    }

    [Fact]
    public async Task A_partial_object_test_with_many_failing_cases_names_the_first_ten_in_order_and_counts_the_rest()
    {
        var bundle = Bundle("partial-test-many");
        bundle["modules"]!.AsArray().Add(new JsonObject
        {
            ["path"] = "partial/many_test.rego",
            ["source"] = "package balticai.many_test\n\ntest_cases[x] if {\n\tsome x in numbers.range(10, 23)\n\tx < 10\n}\n",
        });

        var response = await broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin).PostJsonAsync("/policies/bundles", bundle);

        var problem = await ShouldBeProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        problem["errors"]!["modules"]!.AsArray().Select(e => e!.GetValue<string>()).ShouldBe(
        [
            "partial/many_test.rego: data.balticai.many_test.test_cases: FAIL",
            .. Enumerable.Range(10, 10).Select(n => $"  {n}: FAIL"),
            "  ... 4 more failing cases not shown",
        ]);
    }
}
