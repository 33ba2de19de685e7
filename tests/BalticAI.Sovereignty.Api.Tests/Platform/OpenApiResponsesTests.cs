using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BalticAI.Sovereignty.Api.Infrastructure.OpenApi;
using BalticAI.Sovereignty.Api.Infrastructure.Validation;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

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

    [Fact]
    public async Task Every_operation_declares_400_for_a_query_key_it_does_not_take()
    {
        var operations = await OperationsAsync();

        operations.Keys.ShouldContain("GET /me");
        operations.Keys.ShouldContain("POST /training-jobs/{id}/access-requests");
        foreach (var (key, operation) in operations)
        {
            operation["responses"]!["400"]?["content"]?["application/problem+json"].ShouldNotBeNull(key);
        }
        operations["GET /me"]["responses"]!["400"]!["description"]!.GetValue<string>().ShouldContain("does not take");
    }

    /// <summary>The check reads what an operation takes from the same binding metadata the document is written from.</summary>
    [Fact]
    public async Task The_document_lists_the_query_parameters_the_check_accepts()
    {
        var operations = await OperationsAsync();
        var compared = 0;

        foreach (var endpoint in broker.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            if (DeclaredQuery.Of(endpoint) is not { } declared)
            {
                continue;
            }
            var path = "/" + Regex.Replace(endpoint.RoutePattern.RawText!.TrimStart('/'), @"\{\**([A-Za-z0-9_]+)[^}]*\}", "{$1}");
            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods)
            {
                var key = DependencyFreeRoutes.Key(method, path);
                var listed = operations[key]["parameters"]?.AsArray().Where(p => p!["in"]!.GetValue<string>() == "query")
                    .Select(p => p!["name"]!.GetValue<string>()).ToList() ?? [];
                declared.Select(p => p.Name).ShouldBe(listed, ignoreOrder: true, key);
                compared++;
            }
        }
        compared.ShouldBe(operations.Count - 3, "every operation but the three ledger listings, which read their query by hand");
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

    [Fact]
    public async Task An_access_requests_409_and_422_describe_the_refusals_they_record()
    {
        var document = JsonNode.Parse(await broker.CreateClient().GetStringAsync("/openapi/v1.json"))!;
        var responses = (await OperationsAsync())["POST /training-jobs/{id}/access-requests"]["responses"]!;

        foreach (var status in new[] { "409", "422" })
        {
            var reference = responses[status]!["content"]!["application/problem+json"]!["schema"]!["$ref"]!.GetValue<string>();
            var schema = document["components"]!["schemas"]![reference.Split('/')[^1]]!;
            var refusal = schema["properties"]!["refusals"]!;
            refusal.ToJsonString().ShouldContain("RefusalResponse", Case.Sensitive, status);
            schema["properties"]!["errors"].ShouldNotBeNull(status);
            var item = document["components"]!["schemas"]!["RefusalResponse"]!["properties"]!.AsObject().Select(p => p.Key);
            item.ShouldBe(["refusalId", "datasetId", "version", "reason"], ignoreOrder: true);
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
