using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;

namespace BalticAI.Sovereignty.Api.Tests.Decisions;

/// <summary>The PL ministry amends its dataset's terms; pl-cyfronet's data plane releases under a grant.</summary>
public static class TermsAmendments
{
    public static async Task<HttpResponseMessage> AmendAsync(BrokerFactory broker, Guid dataset, string patch)
    {
        var owner = broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner);
        var etag = (await owner.GetAsync($"/datasets/{dataset}")).Headers.ETag!.ToString();
        return await owner.PatchTermsAsync(dataset, JsonNode.Parse(patch)!, etag);
    }

    public static Task<HttpResponseMessage> RedeemAsync(BrokerFactory broker, string grantId) =>
        broker.ClientFor(TestTenants.PlCyfronet, Roles.DataPlane).PostJsonAsync($"/grants/{grantId}/redemptions", GrantTokens.Release(grantId, 1));
}
