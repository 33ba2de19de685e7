using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Platform.ProblemAndOpenApiTests;

namespace BalticAI.Sovereignty.Api.Tests.Policies;

/// <summary>
/// Activation runs a bundle's tests holding the activation lock: a run that outlasts Policy:TestTimeout ends there,
/// answers 422, records nothing and leaves the lock to the next activation.
/// </summary>
public sealed class SlowBundleTestsTests(TestTimeoutBrokerFactory broker) : IClassFixture<TestTimeoutBrokerFactory>, IAsyncLifetime
{
    /// <summary>
    /// Each test runs until the engine's limit for one query (5 million steps or Policy:EvaluationTimeout, 2 s) ends it, long after 1 ms; several
    /// of them, so that the timeout has fired long before the last one could end by itself.
    /// </summary>
    private static readonly string SlowTests = "package balticai.slow_test\n" + string.Concat(Enumerable.Range(1, 4).Select(i => $$"""

        test_slow_{{i}} if {
        	every x in numbers.range(1, 100000) {
        		every y in numbers.range(1, 100000) {
        			x + y > {{i}}
        		}
        	}
        }

        """));

    public Task InitializeAsync() => WaitForShippedBundleAsync(broker);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Tests_that_outlast_the_timeout_are_422_record_nothing_and_free_the_lock()
    {
        var activations = await CountEventsAsync(broker, "policy_bundle_activated");
        var slow = Bundle("slow-tests");
        slow["modules"]!.AsArray().Add(new JsonObject { ["path"] = "slow/slow_test.rego", ["source"] = SlowTests });

        var response = await broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin).PostJsonAsync("/policies/bundles", slow);

        var problem = await ShouldBeProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        problem["detail"]!.GetValue<string>().ShouldBe("the bundle's tests did not finish within 0.001 s");
        problem["errors"]!["modules"]![0]!.GetValue<string>().ShouldContain("Policy:TestTimeout");
        (await CountEventsAsync(broker, "policy_bundle_activated")).ShouldBe(activations);

        var good = Bundle("after-slow-tests");
        good["data"]!["afterSlowTests"] = true;
        var digest = await ActivateAsync(broker, good);
        var active = await DatasetApi.ReadJsonAsync(await broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor).GetAsync("/policies/active"));
        active["digest"]!.GetValue<string>().ShouldBe(digest);
        (await CountEventsAsync(broker, "policy_bundle_activated")).ShouldBe(activations + 1);
    }
}
