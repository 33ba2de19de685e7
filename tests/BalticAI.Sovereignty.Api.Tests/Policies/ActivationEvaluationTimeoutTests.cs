using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Policies.Bundles;
using BalticAI.Sovereignty.Api.Policies.Lifecycle;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Rego;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Platform.ProblemAndOpenApiTests;

namespace BalticAI.Sovereignty.Api.Tests.Policies;

/// <summary>
/// Each test query an activation runs has Policy:EvaluationTimeout, the limit a decision has, not a limit of its own:
/// tests that pass only with more time than a decision gets would let a bundle in whose decisions then time out.
/// </summary>
public sealed class ActivationEvaluationTimeoutTests(EvaluationTimeoutBrokerFactory broker) : IClassFixture<EvaluationTimeoutBrokerFactory>, IAsyncLifetime
{
    /// <summary>
    /// Hundreds of thousands of steps, so the engine looks at the clock hundreds of times and finds 1 ms long gone; far
    /// below its 5 million step limit, so with time enough the test passes.
    /// </summary>
    private const string ManyStepsTest = """
        package balticai.many_steps_test

        test_many_steps if {
        	count([x | some x in numbers.range(1, 50000); x > 0]) == 50000
        }
        """;

    public Task InitializeAsync() => WaitForShippedBundleAsync(broker);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_test_query_that_outlasts_the_configured_evaluation_timeout_is_422_and_records_nothing()
    {
        var activations = await CountEventsAsync(broker, "policy_bundle_activated");
        var bundle = Bundle("many-steps");
        bundle["modules"]!.AsArray().Add(new JsonObject { ["path"] = "many_steps/many_steps_test.rego", ["source"] = ManyStepsTest });

        var response = await broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin).PostJsonAsync("/policies/bundles", bundle);

        var problem = await ShouldBeProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        problem["detail"]!.GetValue<string>().ShouldBe("the bundle's tests raise errors");
        var error = problem["errors"]!["modules"]!.AsArray().Single()!.GetValue<string>();
        error.ShouldContain("many_steps/many_steps_test.rego");
        error.ShouldContain("test_many_steps");
        error.ShouldContain("exceeded the time limit");
        (await CountEventsAsync(broker, "policy_bundle_activated")).ShouldBe(activations);
    }

    [Fact]
    public void The_same_test_passes_with_a_generous_evaluation_timeout()
    {
        var bundle = new PolicyBundle("many-steps", [new BundleModule("many_steps/many_steps_test.rego", ManyStepsTest)],
            new JsonObject { [PolicyBundleLoader.DataRoot] = new JsonObject() });

        Should.NotThrow(() => BundleValidation.Validate(bundle, RegoOptions.Default with { Timeout = TimeSpan.FromMinutes(5) }, CancellationToken.None));
    }
}
