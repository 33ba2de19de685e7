using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Fixtures;

namespace BalticAI.Sovereignty.Api.Tests.Platform;

public sealed class ProblemAndOpenApiTests(BrokerFactory broker) : IClassFixture<BrokerFactory>
{
    [Fact]
    public async Task Unknown_route_is_a_404_problem()
    {
        var response = await broker.ClientFor(TestTenants.PlMinistry, Roles.Auditor).GetAsync("/no-such-route");

        await ShouldBeProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Wrong_method_is_a_405_problem()
    {
        var response = await broker.ClientFor(TestTenants.PlMinistry, Roles.Auditor).DeleteAsync("/me");

        await ShouldBeProblemAsync(response, HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task OpenApi_document_is_served_without_a_token_and_describes_the_routes()
    {
        var response = await broker.CreateClient().GetAsync("/openapi/v1.json");
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        document["paths"]!.AsObject().Select(p => p.Key).ShouldContain("/me");
        document["components"]!["securitySchemes"]!["Bearer"]!["scheme"]!.GetValue<string>().ShouldBe("bearer");
    }

    [Fact]
    public async Task Api_reference_page_is_served_without_a_token()
    {
        var response = await broker.CreateClient().GetAsync("/scalar/v1");
        var html = await response.Content.ReadAsStringAsync();

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        html.ShouldContain("<title>BalticAI.Sovereignty broker</title>");
        html.ShouldContain("scalar", Case.Insensitive);
    }

    internal static async Task<JsonNode> ShouldBeProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        response.StatusCode.ShouldBe(status);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        problem["status"]!.GetValue<int>().ShouldBe((int)status);
        problem["title"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        return problem;
    }
}
