using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Api.Tests.Platform;

namespace BalticAI.Sovereignty.Api.Tests.Datasets;

/// <summary>With PostgreSQL unreachable every dataset route fails closed: 503 with Retry-After, never 500.</summary>
public sealed class DatasetsWithoutPostgresTests(UnreachablePostgresBroker broker) : IClassFixture<UnreachablePostgresBroker>
{
    [Theory]
    [InlineData("register", null)]
    [InlineData("register", "retry-key-1")]
    [InlineData("version", null)]
    [InlineData("withdrawal", "retry-key-2")]
    [InlineData("read", null)]
    [InlineData("list", null)]
    public async Task Dataset_routes_answer_503_when_the_database_is_down(string route, string? idempotencyKey)
    {
        var client = broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner);
        var id = Guid.CreateVersion7();

        var response = route switch
        {
            "register" => await client.PostJsonAsync("/datasets", DatasetApi.Terms(), idempotencyKey: idempotencyKey),
            "version" => await client.PostJsonAsync($"/datasets/{id}/versions", DatasetApi.Version(), "\"1\""),
            "withdrawal" => await client.PostJsonAsync($"/datasets/{id}/withdrawal", new JsonObject { ["reason"] = "owner-decision" }, "\"1\"", idempotencyKey),
            "read" => await client.GetAsync($"/datasets/{id}"),
            _ => await client.GetAsync("/datasets"),
        };

        await ProblemAndOpenApiTests.ShouldBeProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter.ShouldNotBeNull();
    }
}
