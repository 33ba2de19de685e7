using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Tests.Fixtures;

namespace BalticAI.Sovereignty.Api.Tests.Datasets;

public sealed class DatasetOpenApiTests(BrokerFactory broker) : IClassFixture<BrokerFactory>
{
    [Theory]
    [InlineData("/datasets", "post", "201", "422")]
    [InlineData("/datasets", "get", "200", "400")]
    [InlineData("/datasets/{id}", "get", "200", "404")]
    [InlineData("/datasets/{id}/versions", "post", "201", "428")]
    [InlineData("/datasets/{id}/versions", "get", "200", "404")]
    [InlineData("/datasets/{id}/terms", "patch", "200", "412")]
    [InlineData("/datasets/{id}/restriction", "post", "200", "409")]
    [InlineData("/datasets/{id}/restriction/lifting", "post", "200", "415")]
    [InlineData("/datasets/{id}/withdrawal", "post", "200", "403")]
    [InlineData("/datasets/{id}/history", "get", "200", "404")]
    public async Task Every_dataset_route_is_described_with_a_summary_and_its_problem_codes(string path, string method, string success, string problem)
    {
        var document = JsonNode.Parse(await broker.CreateClient().GetStringAsync("/openapi/v1.json"))!;

        var operation = document["paths"]![path]![method]!;

        operation["summary"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        operation["tags"]!.AsArray().Select(t => t!.GetValue<string>()).ShouldContain("Datasets");
        var responses = operation["responses"]!.AsObject();
        responses.Select(r => r.Key).ShouldContain(success);
        responses[problem]!["content"]!["application/problem+json"].ShouldNotBeNull();
    }

    [Theory]
    [InlineData("/datasets", "post", "Idempotency-Key", false)]
    [InlineData("/datasets/{id}/versions", "post", "If-Match", true)]
    [InlineData("/datasets/{id}/versions", "post", "Idempotency-Key", false)]
    [InlineData("/datasets/{id}/terms", "patch", "If-Match", true)]
    [InlineData("/datasets/{id}/withdrawal", "post", "If-Match", true)]
    public async Task Write_routes_document_their_headers(string path, string method, string header, bool required)
    {
        var document = JsonNode.Parse(await broker.CreateClient().GetStringAsync("/openapi/v1.json"))!;

        var parameter = document["paths"]![path]![method]!["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == header)!;

        parameter["in"]!.GetValue<string>().ShouldBe("header");
        (parameter["required"]?.GetValue<bool>() ?? false).ShouldBe(required);
    }

    [Fact]
    public async Task The_merge_patch_route_documents_its_media_type()
    {
        var document = JsonNode.Parse(await broker.CreateClient().GetStringAsync("/openapi/v1.json"))!;

        document["paths"]!["/datasets/{id}/terms"]!["patch"]!["requestBody"]!["content"]!["application/merge-patch+json"].ShouldNotBeNull();
    }

    [Fact]
    public async Task Request_schemas_are_served_without_a_token_as_the_repository_holds_them()
    {
        var response = await broker.CreateClient().GetAsync("/schemas/dataset-terms.schema.json");
        var repositoryCopy = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "schemas", "dataset-terms.schema.json"));

        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/schema+json");
        (await response.Content.ReadAsStringAsync()).ShouldBe(repositoryCopy);
        (await broker.CreateClient().GetAsync("/schemas/nope.schema.json")).StatusCode.ShouldBe(System.Net.HttpStatusCode.NotFound);
    }
}
