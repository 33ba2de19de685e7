using System.Net;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Infrastructure.OpenApi;
using BalticAI.Sovereignty.Api.Tests.Fixtures;

namespace BalticAI.Sovereignty.Api.Tests.Platform;

/// <summary>The operations the OpenAPI document exempts from 503 do answer with PostgreSQL down.</summary>
public sealed class DependencyFreeRoutesTests(UnreachablePostgresBroker broker) : IClassFixture<UnreachablePostgresBroker>
{
    /// <summary>A request for each exempt operation.</summary>
    private static readonly Dictionary<string, string> Probes = new()
    {
        ["GET /me"] = "/me",
        ["GET /tenants"] = "/tenants",
        ["GET /schemas/{name}.schema.json"] = "/schemas/dataset-terms.schema.json",
    };

    [Fact]
    public async Task Every_dependency_free_route_answers_while_postgresql_is_down()
    {
        Probes.Keys.ShouldBe(DependencyFreeRoutes.Reasons.Keys, ignoreOrder: true);
        var client = broker.ClientFor(TestTenants.PlMinistry, Roles.Auditor);

        foreach (var (key, path) in Probes)
        {
            (await client.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.OK, key);
        }
    }
}
