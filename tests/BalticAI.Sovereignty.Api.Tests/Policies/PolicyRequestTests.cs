using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Platform.ProblemAndOpenApiTests;

namespace BalticAI.Sovereignty.Api.Tests.Policies;

/// <summary>
/// Edge bodies at the policy routes (embedded engine): each is the caller's 4xx problem naming the field,
/// never a 500 and never a 503, and a refused bundle records nothing.
/// </summary>
public sealed class PolicyRequestTests(BrokerFactory broker) : IClassFixture<BrokerFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => WaitForShippedBundleAsync(broker);

    public Task DisposeAsync() => Task.CompletedTask;

    private HttpClient PolicyAdmin => broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin);

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"input": null}""")]
    [InlineData("""{"query": "data.balticai.access.decision"}""")]
    public async Task A_dry_run_without_an_input_is_400_naming_input(string body)
    {
        var response = await PolicyAdmin.SendAsync(HttpMethod.Post, "/policies/evaluate", body);

        var problem = await ShouldBeProblemAsync(response, HttpStatusCode.BadRequest);
        problem["errors"]!["/input"]![0]!.GetValue<string>().ShouldBe("an object is required: the policy input to evaluate");
    }

    [Theory]
    [InlineData("data.balticai.x[")]
    [InlineData("data.balticai.")]
    [InlineData("data.balticai.access.decision == true")]
    [InlineData("data.balticai.access[\"decision\"]")]
    public async Task A_dry_run_query_that_is_no_dotted_reference_is_422_naming_the_query(string query)
    {
        var response = await PolicyAdmin.PostJsonAsync("/policies/evaluate", new JsonObject { ["input"] = new JsonObject(), ["query"] = query });

        var problem = await ShouldBeProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        problem["errors"]!["query"]![0]!.GetValue<string>().ShouldBe("must be a dotted reference such as data.balticai.access.decision");
    }

    [Fact]
    public async Task A_dry_run_of_a_dotted_reference_below_a_rule_answers()
    {
        var response = await PolicyAdmin.PostJsonAsync("/policies/evaluate", new JsonObject { ["input"] = new JsonObject(), ["query"] = "data.balticai.access.decision.allow" });
        var body = await DatasetApi.ReadJsonAsync(response);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToJsonString());
        body["result"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Theory]
    [InlineData("""{"revision": "r", "modules": [null]}""", "/modules/0")]
    [InlineData("""{"revision": "r", "modules": [{"path": "a/a.rego", "source": "package balticai.a"}, null]}""", "/modules/1")]
    public async Task A_null_module_is_400_naming_it_and_records_nothing(string body, string pointer)
    {
        var activations = await CountEventsAsync(broker, "policy_bundle_activated");

        var response = await PolicyAdmin.SendAsync(HttpMethod.Post, "/policies/bundles", body);

        var problem = await ShouldBeProblemAsync(response, HttpStatusCode.BadRequest);
        problem["errors"]![pointer]![0]!.GetValue<string>().ShouldBe("a module object with path and source is required");
        (await CountEventsAsync(broker, "policy_bundle_activated")).ShouldBe(activations);
    }

    public static readonly TheoryData<string, string> HostileBodies = new()
    {
        { "/policies/evaluate", "null" },
        { "/policies/evaluate", "[]" },
        { "/policies/evaluate", "42" },
        { "/policies/evaluate", """{"input": 5}""" },
        { "/policies/evaluate", """{"input": [null]}""" },
        { "/policies/evaluate", """{"input": {}, "query": 5}""" },
        { "/policies/bundles", "null" },
        { "/policies/bundles", "{}" },
        { "/policies/bundles", """{"revision": null, "modules": null}""" },
        { "/policies/bundles", """{"revision": "r", "modules": [5]}""" },
        { "/policies/bundles", """{"revision": "r", "modules": [{}]}""" },
        { "/policies/bundles", """{"revision": "r", "modules": [{"path": null, "source": null}]}""" },
        { "/policies/bundles", """{"revision": "r", "modules": [{"path": "a.rego", "source": "package balticai.a"}], "data": [null]}""" },
    };

    [Theory]
    [MemberData(nameof(HostileBodies))]
    public async Task A_malformed_body_is_a_4xx_problem_and_records_nothing(string route, string body)
    {
        var activations = await CountEventsAsync(broker, "policy_bundle_activated");

        var response = await PolicyAdmin.SendAsync(HttpMethod.Post, route, body);

        ((int)response.StatusCode).ShouldBeInRange(400, 499, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await CountEventsAsync(broker, "policy_bundle_activated")).ShouldBe(activations);
    }
}
