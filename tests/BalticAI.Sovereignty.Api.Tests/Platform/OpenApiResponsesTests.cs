using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.OpenApi;
using BalticAI.Sovereignty.Api.Tests.Fixtures;

namespace BalticAI.Sovereignty.Api.Tests.Platform;

/// <summary>The problems every operation can answer because of the pipeline around it, as client generators read them.</summary>
public sealed class OpenApiResponsesTests(BrokerFactory broker) : IClassFixture<BrokerFactory>
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    [Fact]
    public async Task Every_operation_but_the_dependency_free_ones_declares_503_with_Retry_After()
    {
        var operations = await OperationsAsync();

        operations.Count.ShouldBeGreaterThan(40);
        foreach (var (key, operation) in operations)
        {
            var responses = operation["responses"]!.AsObject();
            if (DependencyFreeRoutes.Reasons.ContainsKey(key))
            {
                responses.ContainsKey("503").ShouldBeFalse(key);
                continue;
            }
            ShouldBeProblemWithRetryAfter(responses["503"], key);
        }
    }

    [Fact]
    public async Task The_dependency_free_list_names_only_operations_that_exist()
    {
        var operations = await OperationsAsync();

        DependencyFreeRoutes.Reasons.Keys.ShouldBeSubsetOf(operations.Keys);
    }

    [Fact]
    public async Task Every_operation_declares_429_with_Retry_After_while_rate_limits_are_on()
    {
        foreach (var (key, operation) in await OperationsAsync())
        {
            ShouldBeProblemWithRetryAfter(operation["responses"]!["429"], key);
        }
    }

    [Fact]
    public async Task Every_operation_with_query_parameters_declares_400()
    {
        var operations = (await OperationsAsync())
            .Where(o => o.Value["parameters"]?.AsArray().Any(p => p!["in"]!.GetValue<string>() == "query") == true)
            .ToList();

        operations.Select(o => o.Key).ShouldContain("GET /ledger/proofs/consistency");
        foreach (var (key, operation) in operations)
        {
            var badRequest = operation["responses"]!["400"];
            badRequest.ShouldNotBeNull(key);
            badRequest["content"]!["application/problem+json"].ShouldNotBeNull(key);
        }
    }

    [Theory]
    [InlineData("GET /ledger/events", "country,dataset,job,model,type,from,to,cursor,limit")]
    [InlineData("GET /datasets/{id}/decisions", "type,from,to,cursor,limit")]
    [InlineData("GET /training-jobs/{id}/decisions", "type,from,to,cursor,limit")]
    public async Task The_ledger_event_listings_declare_the_query_they_read(string key, string parameters)
    {
        var operation = (await OperationsAsync())[key];

        operation["parameters"]!.AsArray().Where(p => p!["in"]!.GetValue<string>() == "query").Select(p => p!["name"]!.GetValue<string>())
            .ShouldBe(parameters.Split(','));
        operation["responses"]!["400"]!["content"]!["application/problem+json"].ShouldNotBeNull();
    }

    [Theory]
    [InlineData("GET /training-jobs", true, true)]
    [InlineData("GET /models/{modelId}/versions", true, true)]
    [InlineData("GET /me", true, true)]
    [InlineData("POST /ledger/checkpoints/{size}/cosignatures", true, true)]
    [InlineData("GET /ledger/checkpoints", false, false)]
    [InlineData("GET /.well-known/jwks.json", false, false)]
    [InlineData("GET /schemas/{name}.schema.json", false, false)]
    public async Task Authorised_operations_declare_401_and_role_bound_ones_403(string key, bool unauthorised, bool forbidden)
    {
        var responses = (await OperationsAsync())[key]["responses"]!.AsObject();

        responses.ContainsKey("401").ShouldBe(unauthorised);
        responses.ContainsKey("403").ShouldBe(forbidden);
        if (unauthorised)
        {
            responses["401"]!["content"]!["application/problem+json"].ShouldNotBeNull();
        }
    }

    [Fact]
    public async Task Exactly_the_operations_that_answer_401_require_the_bearer_scheme()
    {
        var document = JsonNode.Parse(await broker.CreateClient().GetStringAsync("/openapi/v1.json"))!;
        document["components"]!["securitySchemes"]!["Bearer"]!["scheme"]!.GetValue<string>().ShouldBe("bearer");
        document["security"].ShouldBeNull("a document-wide requirement would mark the anonymous operations too");

        foreach (var (key, operation) in await OperationsAsync())
        {
            var schemes = operation["security"]?.AsArray().SelectMany(requirement => requirement!.AsObject().Select(scheme => scheme.Key)).ToList() ?? [];
            schemes.ShouldBe(operation["responses"]!["401"] is null ? [] : ["Bearer"], key);
        }
    }

    private static void ShouldBeProblemWithRetryAfter(JsonNode? response, string key)
    {
        response.ShouldNotBeNull(key);
        response["content"]!["application/problem+json"]!["schema"]!["$ref"]!.GetValue<string>().ShouldBe("#/components/schemas/ProblemDetails", key);
        response["headers"]!["Retry-After"]!["schema"]!["type"]!.GetValue<string>().ShouldBe("integer", key);
    }

    /// <summary>Every operation of the served document, keyed as <see cref="DependencyFreeRoutes"/> keys them.</summary>
    private async Task<Dictionary<string, JsonNode>> OperationsAsync()
    {
        var document = JsonNode.Parse(await broker.CreateClient().GetStringAsync("/openapi/v1.json"))!;
        return document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject()
                .Where(operation => Methods.Contains(operation.Key))
                .Select(operation => (Key: DependencyFreeRoutes.Key(operation.Key, path.Key), Operation: operation.Value!)))
            .ToDictionary(o => o.Key, o => o.Operation);
    }
}
