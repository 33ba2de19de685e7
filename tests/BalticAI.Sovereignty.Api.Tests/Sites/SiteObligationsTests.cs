using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Decisions.Grants.Revoking;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Decisions;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Decisions.ShippedBundleApi;
using static BalticAI.Sovereignty.Api.Tests.Sites.SiteGrantsApi;

namespace BalticAI.Sovereignty.Api.Tests.Sites;

/// <summary>
/// A site's withdrawn fact that leaves a grant allowed but under other obligations: before, the grant stood with the
/// obligations it was issued with, and the data plane kept enforcing those. The shipped bundle denies on every fact a
/// site can withdraw, so a bundle of this class's own (and broker, since activation is broker-wide) binds one.
/// </summary>
public sealed class SiteObligationsTests(BrokerFactory broker) : IClassFixture<BrokerFactory>, IAsyncLifetime
{
    private const string Policy = TestPolicy + """

        obligations contains {"type": "pseudonymise", "dataset": input.dataset.id} if {
        	not "secure-processing-environment" in input.site.accreditations
        }
        """;

    public async Task InitializeAsync()
    {
        // The shipped bundle's activation at start must not land after this class's own.
        await WaitForShippedBundleAsync(broker);
        await ActivateAsync(broker, Bundle("site-obligations", Policy));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_withdrawn_fact_that_changes_the_obligations_revokes_and_one_that_does_not_keeps_the_grant()
    {
        var site = await RegisterSiteAsync(broker, $"pl-obl-{Guid.NewGuid():N}"[..20], "PL", "secure-processing-environment", "iso-27001");
        var dataset = await RegisterAsync(broker, Documented("Transcripts"));
        var grantId = GrantTokens.Remember((await DecideAsync(broker, site, dataset, _ => { }))["grant"]!);
        var marker = await RegisterAsync(broker, Documented("Marker"));
        var markerGrant = GrantTokens.Remember((await DecideAsync(broker, site, marker, _ => { }))["grant"]!);
        (await GrantAsync(broker, grantId))["obligations"]!.AsArray().ShouldBeEmpty();

        (await PatchAsync(site, """{"accreditations": ["secure-processing-environment"]}""", "\"1\"")).StatusCode.ShouldBe(HttpStatusCode.OK);
        // The revoker reads the ledger in order: once the later withdrawal's revocation shows, the amendment has been judged.
        await WithdrawAsync(broker, marker);
        (await WaitForGrantAsync(broker, markerGrant, g => g["status"]!.GetValue<string>() == "revoked"))["revocationReason"]!.GetValue<string>().ShouldStartWith("dataset-withdrawn");
        (await GrantAsync(broker, grantId))["status"]!.GetValue<string>().ShouldBe("active");

        (await PatchAsync(site, """{"accreditations": []}""", "\"2\"")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var revoked = await WaitForGrantAsync(broker, grantId, g => g["status"]!.GetValue<string>() == "revoked");
        revoked["revocationReason"]!.GetValue<string>().ShouldBe(GrantRevoker.SiteObligationsChanged);
        var again = await DecideAsync(broker, site, dataset, _ => { });
        again["allowed"]!.GetValue<bool>().ShouldBeTrue(again.ToJsonString());
        var obligations = (await GrantAsync(broker, GrantTokens.Remember(again["grant"]!)))["obligations"]!.AsArray();
        obligations.Select(o => o!["type"]!.GetValue<string>()).ShouldBe(["pseudonymise"]);
    }

    private Task<HttpResponseMessage> PatchAsync(Guid site, string body, string etag) =>
        broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin).SendAsync(HttpMethod.Patch, $"/sites/{site}", body, etag, "application/merge-patch+json");
}
