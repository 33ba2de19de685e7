using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Fixtures;

namespace BalticAI.Sovereignty.Api.Tests.Ledger;

/// <summary>Reads of <c>GET /ledger/events</c> (or another route listing ledger events) for the query and read-recording tests.</summary>
public static class LedgerEventsApi
{
    public static HttpClient Auditor(BrokerFactory broker) => broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor);

    public static async Task<JsonObject> PageAsync(HttpClient client, string query, string path = "/ledger/events")
    {
        var response = await client.GetAsync(path + query);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    public static List<JsonObject> Items(JsonObject page) => page["items"]!.AsArray().Select(i => i!.AsObject()).ToList();

    /// <summary>
    /// Reads pages until <paramref name="done"/> holds for the items: the index follows commits through
    /// the async daemon, so a just-recorded event shows up shortly after its commit.
    /// </summary>
    public static async Task<List<JsonObject>> WaitForAsync(HttpClient client, string query, Func<List<JsonObject>, bool> done, string path = "/ledger/events")
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var items = Items(await PageAsync(client, query, path));
            if (done(items))
            {
                return items;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"GET {path}{query} did not reach the expected items within 30 s; last: {new JsonArray(items.Select(i => (JsonNode)i.DeepClone()).ToArray())}");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// A 400 answered as every route answers a bad query: title "Invalid query", each of <paramref name="parameters"/> named
    /// with an array of messages; the messages of each parameter, in order.
    /// </summary>
    public static Dictionary<string, List<string>> ShouldNameInvalidQuery(JsonNode problem, params string[] parameters)
    {
        problem["title"]!.GetValue<string>().ShouldBe("Invalid query", problem.ToJsonString());
        problem["detail"]!.GetValue<string>().ShouldContain("query parameter", Case.Sensitive, problem.ToJsonString());
        var errors = new Dictionary<string, List<string>>();
        foreach (var parameter in parameters)
        {
            var messages = problem["errors"]![parameter].ShouldBeOfType<JsonArray>(problem.ToJsonString()).Select(m => m!.GetValue<string>()).ToList();
            messages.ShouldNotBeEmpty(problem.ToJsonString());
            errors[parameter] = messages;
        }
        return errors;
    }

    public static string Type(JsonObject item) => item["type"]!.GetValue<string>();
}
