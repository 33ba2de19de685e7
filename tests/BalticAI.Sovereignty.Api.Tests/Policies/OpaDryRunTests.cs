using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Policies.OpaEngineTests;

namespace BalticAI.Sovereignty.Api.Tests.Policies;

/// <summary>`POST /policies/evaluate` with `Policy:Engine=opa`: the same answers to bad requests as in embedded mode, and 503 when OPA is down.</summary>
public sealed class OpaDryRunTests(OpaBrokerFactory broker) : IClassFixture<OpaBrokerFactory>, IAsyncLifetime
{
    private FakeOpaServer Opa => broker.Opa;

    // The first start records the shipped bundle; a dry run before that is done would be 503.
    public Task InitializeAsync() => broker.WaitUntilActiveAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private HttpClient PolicyAdmin => broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin);

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
