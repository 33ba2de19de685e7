using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;

namespace BalticAI.Sovereignty.Api.Tests.Sites;

/// <summary>What the site-amendment tests do to a dataset and read of a grant, through the API as its users would.</summary>
internal static class SiteGrantsApi
{
    public static async Task WithdrawAsync(BrokerFactory broker, Guid dataset)
    {
        var owner = broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner);
        var etag = (await owner.GetAsync($"/datasets/{dataset}")).Headers.ETag!.ToString();
        var withdrawn = await owner.PostJsonAsync($"/datasets/{dataset}/withdrawal", new JsonObject { ["reason"] = "owner-decision" }, etag);
        withdrawn.IsSuccessStatusCode.ShouldBeTrue(await withdrawn.Content.ReadAsStringAsync());
    }

    public static async Task<JsonNode> GrantAsync(BrokerFactory broker, string grantId)
    {
        var read = await broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem).GetAsync($"/grants/{grantId}");
        read.StatusCode.ShouldBe(HttpStatusCode.OK, await read.Content.ReadAsStringAsync());
        return await DatasetApi.ReadJsonAsync(read);
    }

    /// <summary>The grant once <paramref name="done"/> holds, or as it stands after 20 s (the caller's assertion then says what is missing).</summary>
    public static async Task<JsonNode> WaitForGrantAsync(BrokerFactory broker, string grantId, Func<JsonNode, bool> done)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var grant = await GrantAsync(broker, grantId);
            if (done(grant) || clock.Elapsed > TimeSpan.FromSeconds(20))
            {
                return grant;
            }
            await Task.Delay(100);
        }
    }
}
