using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Policies.Bundles;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Platform.ProblemAndOpenApiTests;

namespace BalticAI.Sovereignty.Api.Tests.Decisions;

/// <summary>The embedded engine's path: a key store that cannot sign and bundles that must not become active.</summary>
public sealed class FailClosedTests(UnsignableBrokerFactory broker) : IClassFixture<UnsignableBrokerFactory>, IAsyncLifetime
{
    private string _digest = "";
    private Guid _plSite;

    public async Task InitializeAsync()
    {
        _digest = await ActivateAsync(broker, Bundle("fail-closed-1"));
        _plSite = await RegisterSiteAsync(broker, $"pl-fc-{Guid.NewGuid():N}"[..20], "PL");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private HttpClient PolicyAdmin => broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin);

    [Fact]
    public async Task Key_store_that_cannot_sign_is_503_with_Retry_After_and_records_and_grants_nothing()
    {
        var job = await RegisterJobAsync(broker, _plSite, commercial: false);
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);
        var decided = await CountEventsAsync(broker, "access_decided");
        var granted = await CountEventsAsync(broker, "grant_issued");

        var response = await AskAsync(job, dataset);

        var problem = await ShouldBeProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(5));
        problem["detail"]!.GetValue<string>().ShouldContain("key store");
        (await CountEventsAsync(broker, "access_decided")).ShouldBe(decided);
        (await CountEventsAsync(broker, "grant_issued")).ShouldBe(granted);
    }

    [Fact]
    public async Task A_denial_needs_no_signature_and_is_still_recorded()
    {
        // The contrast to the test above: only what would be granted depends on the key store.
        var job = await RegisterJobAsync(broker, _plSite, commercial: true);
        var dataset = await RegisterDatasetAsync(broker, researchOnly: true);
        var decided = await CountEventsAsync(broker, "access_decided");

        var response = await AskAsync(job, dataset);
        var decision = (await DatasetApi.ReadJsonAsync(response))["decisions"]![0]!;

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        decision["allowed"]!.GetValue<bool>().ShouldBeFalse();
        decision["grant"].ShouldBeNull();
        (await CountEventsAsync(broker, "access_decided")).ShouldBe(decided + 1);
    }

    [Fact]
    public async Task A_module_that_does_not_compile_is_422_naming_file_and_line_and_is_not_activated()
    {
        var broken = TestPolicy.Replace("allow if count(deny) == 0", "allow if count(deny) == 0 ))", StringComparison.Ordinal);
        var line = TestPolicy.Split('\n').TakeWhile(l => !l.StartsWith("allow if", StringComparison.Ordinal)).Count() + 1;

        var errors = await RefusedAsync(Bundle("fail-closed-broken", broken));

        errors.ShouldContain(e => e.StartsWith($"access/access.rego:{line}:", StringComparison.Ordinal) && e.Contains("rego_parse_error", StringComparison.Ordinal),
            string.Join("\n", errors));
    }

    [Fact]
    public async Task A_bundle_whose_test_fails_is_422_naming_the_test_and_is_not_activated()
    {
        var failing = TestPolicyTests + """

            test_a_commercial_job_may_use_research_only_data if {
            	access.allow with input as {"dataset": {"status": "active", "licensing": {"restrictions": ["research-only"]}}, "job": {"commercial": true}, "site": {"country": "PL"}}
            		with data.balticai.allowedCountries as ["PL"]
            }
            """;

        var errors = await RefusedAsync(Bundle("fail-closed-test", tests: failing));

        errors.ShouldBe(["access/access_test.rego: data.balticai.access_test.test_a_commercial_job_may_use_research_only_data: FAIL (undefined)"]);
    }

    [Fact]
    public async Task The_active_bundle_shows_the_recorded_revision_digest_and_sources()
    {
        var response = await broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor).GetAsync("/policies/active");
        var active = await DatasetApi.ReadJsonAsync(response);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        active["revision"]!.GetValue<string>().ShouldBe("fail-closed-1");
        active["digest"]!.GetValue<string>().ShouldBe(_digest);
        active["engine"]!.GetValue<string>().ShouldBe("embedded");
        active["entryPoint"]!.GetValue<string>().ShouldBe(PolicyBundle.DecisionQuery);
        var modules = active["modules"]!.AsArray();
        modules.Select(m => m!["path"]!.GetValue<string>()).ShouldBe(["access/access.rego", "access/access_test.rego"]);
        modules.Select(m => m!["source"]!.GetValue<string>()).ShouldBe([TestPolicy, TestPolicyTests]);
        modules.Select(m => m!["sha256"]!.GetValue<string>()).ShouldBe([PolicyBundle.Sha256Hex(TestPolicy), PolicyBundle.Sha256Hex(TestPolicyTests)]);
        var recorded = new PolicyBundle("fail-closed-1",
            [new BundleModule("access/access.rego", TestPolicy), new BundleModule("access/access_test.rego", TestPolicyTests)],
            new JsonObject { [PolicyBundleLoader.DataRoot] = Bundle("any")["data"]!.DeepClone() });
        recorded.Digest.ShouldBe(_digest);
    }

    [Fact]
    public async Task A_dry_run_outside_data_balticai_is_422()
    {
        var response = await PolicyAdmin.PostAsJsonAsync("/policies/evaluate", new { input = new { }, query = "data.system.main" });

        var problem = await ShouldBeProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        problem["errors"]!["query"]![0]!.GetValue<string>().ShouldBe("only data.balticai.* can be evaluated");
    }

    /// <summary>Posts a bundle that must be refused; its errors, after checking that nothing was recorded.</summary>
    private async Task<IReadOnlyList<string>> RefusedAsync(JsonObject bundle)
    {
        var activations = await CountEventsAsync(broker, "policy_bundle_activated");

        var response = await PolicyAdmin.PostAsJsonAsync("/policies/bundles", bundle);

        var problem = await ShouldBeProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        (await CountEventsAsync(broker, "policy_bundle_activated")).ShouldBe(activations);
        var active = await DatasetApi.ReadJsonAsync(await broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor).GetAsync("/policies/active"));
        active["digest"]!.GetValue<string>().ShouldBe(_digest);
        return problem["errors"]!["modules"]!.AsArray().Select(e => e!.GetValue<string>()).ToList();
    }

    private Task<HttpResponseMessage> AskAsync(Guid job, Guid dataset) =>
        broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem).PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)));
}
