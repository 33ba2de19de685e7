using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Platform.ProblemAndOpenApiTests;

namespace BalticAI.Sovereignty.Api.Tests.Policies;

/// <summary>
/// Each activation records what the bundle's tests showed (tests passed, line coverage, the lines no test reached), so an
/// auditor reads how well the policy in force was tested; a broker may require a minimum coverage.
/// </summary>
public sealed class BundleTestCoverageTests(MinimumCoverageBrokerFactory strict, BrokerFactory plain) : IClassFixture<MinimumCoverageBrokerFactory>, IClassFixture<BrokerFactory>
{
    /// <summary>Every line reached: the default (6) by the second test, the rule (8) and the document (10) by both.</summary>
    private const string CoveredPolicy = """
        package balticai.access

        # METADATA
        # title: Fully tested decision
        # entrypoint: true
        default allow := false

        allow if input.job.commercial

        decision := {"allow": allow, "reasons": [], "obligations": []}
        """;

    private const string CoveredTests = """
        package balticai.access_test

        import data.balticai.access

        test_allow if access.decision.allow with input as {"job": {"commercial": true}}

        test_deny if not access.decision.allow with input as {"job": {"commercial": false}}
        """;

    [Fact]
    public async Task The_shipped_bundle_is_recorded_with_every_line_covered()
    {
        await WaitForShippedBundleAsync(strict);

        // The first activation, recorded at start: other tests here activate bundles of their own after it.
        var activations = (await DatasetApi.ReadJsonAsync(await strict.ClientFor(TestTenants.EuAiOffice, Roles.Auditor).GetAsync("/policies/bundles"))).AsArray();
        var tests = activations[^1]!["tests"]!;
        tests["coverage"]!.GetValue<double>().ShouldBe(100);
        tests["passed"]!.GetValue<int>().ShouldBeGreaterThan(100);
        tests["skipped"]!.GetValue<int>().ShouldBe(0);
        tests["coveredLines"]!.GetValue<int>().ShouldBe(tests["countedLines"]!.GetValue<int>());
        tests["notCovered"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task An_activation_answers_and_records_its_coverage_naming_the_lines_no_test_reached()
    {
        await WaitForShippedBundleAsync(plain);
        var response = await plain.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin).PostJsonAsync("/policies/bundles", Bundle($"partly-{Guid.NewGuid():N}"));
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var answered = (await DatasetApi.ReadJsonAsync(response))["tests"]!;

        var auditor = plain.ClientFor(TestTenants.EuAiOffice, Roles.Auditor);
        var listed = (await DatasetApi.ReadJsonAsync(await auditor.GetAsync("/policies/bundles"))).AsArray()[0]!["tests"]!;
        var active = (await DatasetApi.ReadJsonAsync(await auditor.GetAsync("/policies/active")))["tests"]!;

        // The one test allows a plain dataset: each deny body ran and failed (their heads, the research-only rule's
        // second condition, the obligation, the default and the decision document were never reached).
        answered["notCovered"]!.AsArray().Select(l => l!.GetValue<string>()).ShouldBe(["access/access.rego: 6, 10, 12, 15, 19, 23-24, 27"]);
        answered["coverage"]!.GetValue<double>().ShouldBe(42.86);
        answered["passed"]!.GetValue<int>().ShouldBe(1);
        listed.ToJsonString().ShouldBe(answered.ToJsonString());
        active.ToJsonString().ShouldBe(answered.ToJsonString());
    }

    [Fact]
    public async Task Below_the_minimum_coverage_a_bundle_is_422_naming_the_lines_and_nothing_is_recorded()
    {
        await WaitForShippedBundleAsync(strict);
        var activations = await CountEventsAsync(strict, "policy_bundle_activated");
        var admin = strict.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin);

        var refused = await admin.PostJsonAsync("/policies/bundles", Bundle($"partly-{Guid.NewGuid():N}"));
        var accepted = await admin.PostJsonAsync("/policies/bundles", Bundle($"covered-{Guid.NewGuid():N}", CoveredPolicy, CoveredTests));

        var problem = await ShouldBeProblemAsync(refused, HttpStatusCode.UnprocessableEntity);
        problem["detail"]!.GetValue<string>().ShouldBe("the bundle's tests reach 42.86% of its lines, below the 100% this broker requires (Policy:MinimumTestCoverage)");
        problem["errors"]!["modules"]!.AsArray().Select(e => e!.GetValue<string>())
            .ShouldBe(["not reached by any test: access/access.rego: 6, 10, 12, 15, 19, 23-24, 27"]);
        accepted.StatusCode.ShouldBe(HttpStatusCode.Created, await accepted.Content.ReadAsStringAsync());
        (await DatasetApi.ReadJsonAsync(accepted))["tests"]!["coverage"]!.GetValue<double>().ShouldBe(100);
        (await CountEventsAsync(strict, "policy_bundle_activated")).ShouldBe(activations + 1);
    }
}
