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

    /// <summary>Route, body and the field the 400 must name: text PostgreSQL or the engines cannot keep, numbers no double holds.</summary>
    public static readonly TheoryData<string, string, string> UnsafeBodies = new()
    {
        { "/policies/evaluate", """{"input": {"x": "\ud800"}}""", "/input/x" },
        { "/policies/evaluate", """{"input": {"\udc00": 1}}""", "/input" },
        { "/policies/evaluate", """{"input": {"x": "a\u0000b"}}""", "/input/x" },
        { "/policies/evaluate", """{"input": {"x": 1e400}}""", "/input/x" },
        { "/policies/evaluate", """{"input": {"x": [0, -1e400]}}""", "/input/x/1" },
        { "/policies/bundles", """{"revision": "r", "modules": [{"path": "a/a.rego", "source": "package balticai.a\n"}], "data": {"x": 1e400}}""", "/data/x" },
        { "/policies/bundles", """{"revision": "r", "modules": [{"path": "a/a.rego", "source": "package balticai.a\n"}], "data": {"x": 1e-400}}""", "/data/x" },
        { "/policies/bundles", """{"revision": "r", "modules": [{"path": "a/a.rego", "source": "package balticai.a\n"}], "data": {"x": "a\u0000b"}}""", "/data/x" },
        { "/policies/bundles", """{"revision": "r", "modules": [{"path": "a/a.rego", "source": "package balticai.a\n"}], "data": {"x": "\ud800"}}""", "/data/x" },
        { "/policies/bundles", """{"revision": "r", "modules": [{"path": "a/a.rego", "source": "package balticai.a\n# \u0000\n"}]}""", "/modules/0/source" },
        { "/policies/bundles", """{"revision": "r", "modules": [{"path": "a/a.rego", "source": "package balticai.a\n# \u202e\n"}]}""", "/modules/0/source" },
        { "/policies/bundles", """{"revision": "r", "modules": [{"path": "a/a.rego", "source": "package balticai.a\n# \ud800\n"}]}""", "/modules/0/source" },
    };

    [Theory]
    [MemberData(nameof(UnsafeBodies))]
    public async Task Unsafe_text_or_an_out_of_range_number_is_400_naming_the_field_and_records_nothing(string route, string body, string pointer)
    {
        var activations = await CountEventsAsync(broker, "policy_bundle_activated");

        var response = await PolicyAdmin.SendAsync(HttpMethod.Post, route, body);

        var problem = await ShouldBeProblemAsync(response, HttpStatusCode.BadRequest);
        problem["errors"]!.AsObject().Select(e => e.Key).ShouldBe([pointer]);
        (await CountEventsAsync(broker, "policy_bundle_activated")).ShouldBe(activations);
    }

    [Fact]
    public async Task A_module_source_with_windows_line_endings_is_compiled_and_tested()
    {
        // A failing test keeps the active bundle as it is, and its 422 shows the source got past the text checks.
        var body = """{"revision": "crlf", "modules": [{"path": "crlf/crlf_test.rego", "source": "package balticai.crlf\r\n\r\ntest_crlf if false\r\n"}]}""";

        var response = await PolicyAdmin.SendAsync(HttpMethod.Post, "/policies/bundles", body);

        var problem = await ShouldBeProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        problem["errors"]!["modules"]!.AsArray().Select(e => e!.GetValue<string>()).ShouldContain(e => e.Contains("test_crlf"));
    }

    [Theory]
    [InlineData("/policies/evaluate", """{"input": {}}""")]
    [InlineData("/policies/bundles", """{"revision": "r", "modules": [{"path": "a/a.rego", "source": "package balticai.a\n"}]}""")]
    public async Task A_body_that_is_not_json_is_a_415_problem_and_records_nothing(string route, string body)
    {
        var activations = await CountEventsAsync(broker, "policy_bundle_activated");

        var response = await PolicyAdmin.SendAsync(HttpMethod.Post, route, body, contentType: "text/plain");

        await ShouldBeProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        (await CountEventsAsync(broker, "policy_bundle_activated")).ShouldBe(activations);
    }

    [Theory]
    [InlineData("/a.rego")]
    [InlineData("/../a.rego")]
    [InlineData("../a.rego")]
    [InlineData("a/../../b.rego")]
    [InlineData("a/./b.rego")]
    [InlineData("a//b.rego")]
    [InlineData("a\\b.rego")]
    [InlineData("a\tb.rego")]
    [InlineData("a\nb.rego")]
    public async Task A_module_path_that_is_not_a_plain_relative_path_is_422_naming_it_and_records_nothing(string path)
    {
        var activations = await CountEventsAsync(broker, "policy_bundle_activated");
        var body = new JsonObject
        {
            ["revision"] = "r",
            ["modules"] = new JsonArray(
                new JsonObject { ["path"] = "ok/ok.rego", ["source"] = "package balticai.ok\n" },
                new JsonObject { ["path"] = path, ["source"] = "package balticai.a\n" }),
        };

        var response = await PolicyAdmin.PostJsonAsync("/policies/bundles", body);

        var problem = await ShouldBeProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        problem["errors"]!.AsObject().Select(e => e.Key).ShouldBe(["/modules/1/path"]);
        (await CountEventsAsync(broker, "policy_bundle_activated")).ShouldBe(activations);
    }

    /// <summary>In `opa` mode the broker could never see OPA hold such a bundle (503 on every retry); the engines must run the same bundles.</summary>
    [Fact]
    public async Task A_data_document_with_an_empty_name_is_422_naming_it_and_records_nothing()
    {
        var activations = await CountEventsAsync(broker, "policy_bundle_activated");
        var body = Bundle("empty-data-key");
        body["data"]![""] = new JsonObject { ["countries"] = new JsonArray("PL") };

        var response = await PolicyAdmin.PostJsonAsync("/policies/bundles", body);

        var problem = await ShouldBeProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        problem["errors"]!.AsObject().Select(e => e.Key).ShouldBe(["/data/"]);
        (await CountEventsAsync(broker, "policy_bundle_activated")).ShouldBe(activations);
    }

    [Theory]
    [InlineData("/policies/bundles", "ActivateBundle", "201")]
    [InlineData("/policies/evaluate", "EvaluatePolicy", "200")]
    public async Task The_policy_write_routes_describe_their_body_and_answers(string path, string schema, string success)
    {
        var document = JsonNode.Parse(await broker.CreateClient().GetStringAsync("/openapi/v1.json"))!;

        var operation = document["paths"]![path]!["post"]!;

        operation["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>().ShouldEndWith("/" + schema);
        var responses = operation["responses"]!.AsObject();
        responses[success]!["content"]!["application/json"].ShouldNotBeNull();
        foreach (var problem in new[] { "400", "415", "422" })
        {
            responses[problem]!["content"]!["application/problem+json"].ShouldNotBeNull();
        }
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
