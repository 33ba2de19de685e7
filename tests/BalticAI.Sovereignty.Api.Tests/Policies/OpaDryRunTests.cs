using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Policies.Bundles;
using BalticAI.Sovereignty.Api.Policies.Engines.Opa;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Policies.OpaEngineTests;

namespace BalticAI.Sovereignty.Api.Tests.Policies;

/// <summary>
/// `POST /policies/evaluate` with `Policy:Engine=opa`: the same answers as in embedded mode, any reference read with the
/// pin (so never under a bundle the answer does not name), and 503 when OPA is down or holds another bundle.
/// </summary>
public sealed class OpaDryRunTests(OpaBrokerFactory broker) : IClassFixture<OpaBrokerFactory>, IAsyncLifetime
{
    private FakeOpaServer Opa => broker.Opa;

    // The first start records the shipped bundle; a dry run before that is done would be 503.
    public Task InitializeAsync() => broker.WaitUntilActiveAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private HttpClient PolicyAdmin => broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin);

    private static JsonObject DryRun(string query) => new() { ["input"] = new JsonObject(), ["query"] = query };

    [Fact]
    public async Task A_dry_run_without_an_input_is_400_naming_input_and_asks_OPA_nothing()
    {
        var evaluations = Opa.Evaluations;

        var response = await PolicyAdmin.SendAsync(HttpMethod.Post, "/policies/evaluate", "{}");

        var problem = await Platform.ProblemAndOpenApiTests.ShouldBeProblemAsync(response, HttpStatusCode.BadRequest);
        problem["errors"]!["/input"]![0]!.GetValue<string>().ShouldBe("an object is required: the policy input to evaluate");
        Opa.Evaluations.ShouldBe(evaluations);
    }

    [Fact]
    public async Task A_dry_run_query_that_is_no_dotted_reference_is_422_as_in_embedded_mode()
    {
        var response = await PolicyAdmin.PostJsonAsync("/policies/evaluate", new JsonObject { ["input"] = new JsonObject(), ["query"] = "data.balticai.x[" });

        var problem = await Platform.ProblemAndOpenApiTests.ShouldBeProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        problem["errors"]!["query"]![0]!.GetValue<string>().ShouldBe("must be a dotted reference such as data.balticai.access.decision");
    }

    [Fact]
    public async Task A_dry_run_of_another_reference_answers_its_value_read_with_the_pin_in_one_query()
    {
        var digest = await broker.WaitUntilActiveAsync();

        var response = await PolicyAdmin.PostJsonAsync("/policies/evaluate", DryRun("data.balticai.allowedCountries"));

        var body = await DatasetApi.ReadJsonAsync(response);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToJsonString());
        body["digest"]!.GetValue<string>().ShouldBe(digest);
        body["defined"]!.GetValue<bool>().ShouldBeTrue();
        body["result"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe(["PL", "EE", "LT", "LV"]);
        Opa.Exchanges.Last(e => e.Method == "POST").ShouldBe(new OpaExchange("POST", "/v1/query", 200));
    }

    [Fact]
    public async Task A_dry_run_of_an_undefined_reference_is_not_defined_as_in_embedded_mode()
    {
        var response = await PolicyAdmin.PostJsonAsync("/policies/evaluate", DryRun("data.balticai.access.no_such_rule"));

        var body = await DatasetApi.ReadJsonAsync(response);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToJsonString());
        body["defined"]!.GetValue<bool>().ShouldBeFalse();
        body["result"].ShouldBeNull();
        Opa.Exchanges.Last(e => e.Method == "POST").ShouldBe(new OpaExchange("POST", "/v1/query", 200));
    }

    [Fact]
    public async Task A_bundle_another_node_loads_after_the_check_and_before_the_dry_run_is_503()
    {
        var digest = await broker.WaitUntilActiveAsync();
        // Another node on a shared OPA activates a bundle that allows Estonia alone.
        var otherNodes = new PolicyBundle("other-node", TestModules().Select(m => new BundleModule(m.Key, m.Value)).ToList(),
            new JsonObject { [PolicyBundleLoader.DataRoot] = new JsonObject { ["allowedCountries"] = new JsonArray("EE") } });
        Opa.BeforeNextEvaluation(() => new OpaClient(Opa.CreateClient()).LoadAsync(otherNodes, CancellationToken.None));

        HttpResponseMessage refused;
        try
        {
            refused = await PolicyAdmin.PostJsonAsync("/policies/evaluate", DryRun("data.balticai.allowedCountries"));
        }
        finally
        {
            // The other tests of this class need this node's bundle back in OPA, whatever this one answered.
            await UntilAsync(() => PinnedDigest(Opa) == digest, "the keeper loads this node's recorded bundle again");
        }

        await ShouldBeUnavailableAsync(refused);
    }

    [Fact]
    public async Task A_dry_run_while_OPA_is_down_is_503_with_Retry_After()
    {
        var dryRun = new JsonObject { ["input"] = new JsonObject(), ["query"] = "data.balticai.access.decision" };
        (await PolicyAdmin.PostJsonAsync("/policies/evaluate", dryRun)).StatusCode.ShouldBe(HttpStatusCode.OK);

        await Opa.StopAsync();
        HttpResponseMessage refused;
        try
        {
            refused = await PolicyAdmin.PostJsonAsync("/policies/evaluate", dryRun);
        }
        finally
        {
            await Opa.StartAsync();
        }

        await ShouldBeUnavailableAsync(refused);
    }
}
