using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Platform.ProblemAndOpenApiTests;

namespace BalticAI.Sovereignty.Api.Tests.Policies;

/// <summary>
/// Bundles that compile and pass their tests, yet would decide otherwise than their rules say: data over a rule's
/// path (the embedded engine answered with the data) and a decision of the wrong shape (a string reason was skipped).
/// </summary>
public sealed class ActivatingBundleShapeTests(BrokerFactory broker) : IClassFixture<BrokerFactory>, IAsyncLifetime
{
    private const string Denying = """
        package balticai.access

        decision := {"allow": false, "reasons": [{"rule": "everything", "message": "denied", "source": "test"}], "obligations": []}
        """;

    public async Task InitializeAsync() => await ActivateAsync(broker, Bundle("shape-1"));

    public Task DisposeAsync() => Task.CompletedTask;

    private HttpClient PolicyAdmin => broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin);

    private static JsonObject OneModule(string revision, string source, JsonObject data) => new()
    {
        ["revision"] = revision,
        ["modules"] = new JsonArray(new JsonObject { ["path"] = "access/access.rego", ["source"] = source }),
        ["data"] = data,
    };

    public static readonly TheoryData<string, string, string> Conflicts = new()
    {
        // Data at the decision's own path: it answered instead of the rule, and granted.
        { Denying, """{"access": {"decision": {"allow": true, "reasons": [], "obligations": []}}}""", "balticai/access/decision" },
        // A value that is no object above the rule.
        { Denying, """{"access": 5}""", "balticai/access/decision" },
        // Data below a rule's document.
        { "package balticai\n\naccess := {\"decision\": {\"allow\": false}}\n", """{"access": {"decision": {"allow": true}}}""", "balticai/access" },
    };

    [Theory]
    [MemberData(nameof(Conflicts))]
    public async Task Data_over_a_rules_path_is_422_naming_the_path_and_is_not_activated(string source, string data, string path)
    {
        var active = (await WaitForShippedBundleAsync(broker))["digest"]!.GetValue<string>();
        var activations = await CountEventsAsync(broker, "policy_bundle_activated");

        var response = await PolicyAdmin.PostJsonAsync("/policies/bundles", OneModule("conflict", source, JsonNode.Parse(data)!.AsObject()));

        var problem = await ShouldBeProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        problem["errors"]!["modules"]!.AsArray().Select(e => e!.GetValue<string>())
            .ShouldContain(e => e.Contains($"conflicting rule for data path {path} found", StringComparison.Ordinal), problem.ToJsonString());
        (await CountEventsAsync(broker, "policy_bundle_activated")).ShouldBe(activations);
        (await WaitForShippedBundleAsync(broker))["digest"]!.GetValue<string>().ShouldBe(active);
    }

    [Fact]
    public async Task Data_beside_a_rule_in_its_package_is_no_conflict()
    {
        var bundle = OneModule("beside", Denying, JsonNode.Parse("""{"access": {"countries": ["PL"]}}""")!.AsObject());

        var response = await PolicyAdmin.PostJsonAsync("/policies/bundles", bundle);

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("""{"allow": true, "reasons": ["licence"], "obligations": []}""")]
    [InlineData("""{"allow": true, "reasons": [], "obligations": ["keep-on-site"]}""")]
    [InlineData("""{"allow": true, "obligations": []}""")]
    public async Task A_decision_of_the_wrong_shape_is_a_recorded_deny_without_a_grant(string decision)
    {
        await ActivateAsync(broker, OneModule($"shape-{Guid.NewGuid():N}", $"package balticai.access\n\ndecision := {decision}\n", new JsonObject()));
        var job = await RegisterJobAsync(broker, await RegisterSiteAsync(broker, $"pl-shape-{Guid.NewGuid():N}"[..20], "PL"), commercial: false);
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);
        var granted = await CountEventsAsync(broker, "grant_issued");

        var response = await broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem).PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)));

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var decided = (await DatasetApi.ReadJsonAsync(response))["decisions"]![0]!;
        decided["allowed"]!.GetValue<bool>().ShouldBeFalse(decided.ToJsonString());
        decided["reasons"]!.AsArray().Select(r => r!["rule"]!.GetValue<string>()).ShouldBe(["malformed-decision"]);
        decided["grant"].ShouldBeNull();
        (await CountEventsAsync(broker, "grant_issued")).ShouldBe(granted);
    }
}
