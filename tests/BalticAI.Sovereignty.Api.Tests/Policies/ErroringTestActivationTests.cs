using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Platform.ProblemAndOpenApiTests;

namespace BalticAI.Sovereignty.Api.Tests.Policies;

/// <summary>
/// A test whose evaluation raises an error refuses activation as a failing one does, named ERROR with its error as
/// `opa test` names it, so the refusal tells a broken policy from a false assertion.
/// </summary>
public sealed class ErroringTestActivationTests(BrokerFactory broker) : IClassFixture<BrokerFactory>, IAsyncLifetime
{
    private const string Conflict = """
        package balticai.conflict_test

        x := v if some v in [1, 2]

        test_conflict if x == 1
        """;

    public Task InitializeAsync() => WaitForShippedBundleAsync(broker);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_bundle_whose_test_raises_a_conflict_is_422_naming_the_test_as_an_error_and_records_nothing()
    {
        var activations = await CountEventsAsync(broker, "policy_bundle_activated");
        var bundle = Bundle("conflict-test");
        bundle["modules"]!.AsArray().Add(new JsonObject { ["path"] = "conflict/conflict_test.rego", ["source"] = Conflict });

        var response = await broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin).PostJsonAsync("/policies/bundles", bundle);

        var problem = await ShouldBeProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        problem["detail"]!.GetValue<string>().ShouldBe("the bundle's tests fail");
        var error = problem["errors"]!["modules"]!.AsArray().Single()!.GetValue<string>();
        error.ShouldStartWith("conflict/conflict_test.rego: data.balticai.conflict_test.test_conflict: ERROR (");
        error.ShouldContain("complete rules must not produce multiple outputs");
        (await CountEventsAsync(broker, "policy_bundle_activated")).ShouldBe(activations);
    }
}
