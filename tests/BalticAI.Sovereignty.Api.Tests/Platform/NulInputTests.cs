using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Identity;

namespace BalticAI.Sovereignty.Api.Tests.Platform;

/// <summary>
/// PostgreSQL refuses a NUL in text and jsonb; a NUL that reached it from a request was answered 503
/// ("the database cannot answer") and left the pooled connection unable to run its next prepared
/// statement. Every route of the route table gets a NUL in each of its inputs, as a caller allowed to
/// call it; bad input is the caller's fault, so no answer may be 5xx.
/// </summary>
public sealed class NulInputTests(AuthorizationMatrix broker) : IClassFixture<AuthorizationMatrix>
{
    private const string PathWithNul = "The path contains null characters.";

    [Fact]
    public async Task No_route_answers_5xx_to_a_NUL_or_lone_surrogate_in_its_input()
    {
        var resources = await broker.ResourcesAsync();
        var openApi = JsonNode.Parse(await broker.CreateClient().GetStringAsync("/openapi/v1.json"))!["paths"]!.AsObject();
        var etags = new Dictionary<Resource, string?>
        {
            [Resource.Dataset] = await ETagAsync($"/datasets/{resources[Resource.Dataset]}"),
            [Resource.Site] = await ETagAsync($"/sites/{resources[Resource.Site]}"),
        };
        var bodies = NulProbes.Bodies(resources);
        var probes = (from route in broker.Routes().Where(r => AuthorizationRules.All.ContainsKey(r.Name))
                      let rule = AuthorizationRules.All[route.Name]
                      let operation = openApi[NulProbes.OpenApiPath(route.Pattern)]?[route.Method.ToLowerInvariant()]?.AsObject()
                      from probe in NulProbes.For(route, rule, resources[rule.Resource], operation, bodies.GetValueOrDefault(route.Name), etags.GetValueOrDefault(rule.Resource))
                      select probe).ToList();
        // Created before the parallel sweep, as AuthorizationMatrixTests does (WebApplicationFactory's client list is not thread-safe).
        var clients = probes.Select(p => p.Role ?? "").Distinct().ToDictionary(role => role, role => role.Length == 0
            ? broker.CreateClient()
            : broker.ClientFor(AuthorizationMatrix.Tenants[Position.OwnOrganisation], role));
        var failures = new ConcurrentBag<string>();

        await Parallel.ForEachAsync(probes, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (probe, ct) =>
        {
            var client = clients[probe.Role ?? ""];
            using var request = NulProbes.Request(probe);
            try
            {
                using var response = await client.SendAsync(request, ct);
                if ((int)response.StatusCode >= 500)
                {
                    failures.Add($"{probe}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
                }
            }
            catch (InvalidOperationException e) when (e.Message == PathWithNul)
            {
                // The server's own path decoder refuses %00 before routing (Kestrel answers 400); nothing to judge.
            }
        });

        probes.Count.ShouldBeInRange(200, 800, "the sweep should stay a few hundred requests");
        // The parameters come from the API description by path: if its paths stopped matching the route table, the sweep would shrink silently.
        probes.ShouldContain(p => p.Route == "GET /sites" && p.Input == "query country");
        probes.ShouldContain(p => p.Route == "GET /ledger/events" && p.Input == "query model");
        probes.ShouldContain(p => p.Route == "POST /datasets/{id:guid}/versions" && p.Input == "header Idempotency-Key");
        failures.Order(StringComparer.Ordinal).ShouldBeEmpty();
    }

    /// <summary>long.TryParse reads `"2\0"` as 2, so a NUL after the current version passed If-Match and the write was carried out.</summary>
    [Theory]
    [InlineData("PATCH", "/sites/{0}", Resource.Site, Roles.PolicyAdmin, """{"name":"Renamed"}""", "application/merge-patch+json")]
    [InlineData("POST", "/datasets/{0}/restriction", Resource.Dataset, Roles.DataOwner, """{"reason":"owner-review"}""", "application/json")]
    public async Task An_If_Match_with_a_NUL_after_the_current_version_is_malformed(string method, string route, Resource resource, string role, string body, string contentType)
    {
        var id = (await broker.ResourcesAsync())[resource];
        var path = string.Format(System.Globalization.CultureInfo.InvariantCulture, route, id);
        var current = await ETagAsync(path.Replace("/restriction", "", StringComparison.Ordinal));
        var client = broker.ClientFor(AuthorizationMatrix.Tenants[Position.OwnOrganisation], role);

        using var response = await client.SendAsync(new HttpMethod(method), path, body, ifMatch: current![..^1] + "\0\"", contentType);

        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
        var problem = await DatasetApi.ReadJsonAsync(response);
        problem["title"]!.GetValue<string>().ShouldBe("Malformed If-Match");
        problem["errors"]!["If-Match"].ShouldNotBeNull();
        (await ETagAsync(path.Replace("/restriction", "", StringComparison.Ordinal))).ShouldBe(current);
    }

    private async Task<string?> ETagAsync(string path)
    {
        using var response = await broker.ClientFor(AuthorizationMatrix.Tenants[Position.OwnOrganisation], Roles.DataOwner).GetAsync(path);
        return response.Headers.ETag?.ToString();
    }
}
