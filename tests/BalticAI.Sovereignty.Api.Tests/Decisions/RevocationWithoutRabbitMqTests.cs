using System.Diagnostics;
using System.Net;
using BalticAI.Sovereignty.Api.Decisions.Grants;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Api.Tests.Platform;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;

namespace BalticAI.Sovereignty.Api.Tests.Decisions;

/// <summary>
/// A broker whose RabbitMQ cannot be reached: a withdrawal still revokes the grant in the ledger at once, on
/// grant and job, and redemption refuses it. The notice to the training system waits for RabbitMQ; it no
/// longer holds up the record.
/// </summary>
public sealed class RevocationWithoutRabbitMqTests(UnreachableRabbitMqBroker broker) : IClassFixture<UnreachableRabbitMqBroker>
{
    [Fact]
    public async Task A_withdrawal_revokes_the_grant_in_the_ledger_while_RabbitMQ_is_away()
    {
        await ActivateAsync(broker, Bundle("revocation-offline"));
        var site = await RegisterSiteAsync(broker, $"pl-off-{Guid.NewGuid():N}"[..20], "PL");
        var job = await RegisterJobAsync(broker, site, commercial: false);
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);
        var asked = await broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem).PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)));
        var grantId = GrantTokens.Remember((await DatasetApi.ReadJsonAsync(asked))["decisions"]![0]!["grant"]!);
        var owner = broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner);
        var etag = (await owner.GetAsync($"/datasets/{dataset}")).Headers.ETag!.ToString();

        var withdrawn = await owner.SendAsync(HttpMethod.Post, $"/datasets/{dataset}/withdrawal", """{"reason": "erasure-request"}""", etag);

        withdrawn.IsSuccessStatusCode.ShouldBeTrue(await withdrawn.Content.ReadAsStringAsync());
        var grant = await RevokedAsync(Guid.Parse(grantId));
        grant.ShouldNotBeNull("the withdrawal did not revoke the grant in the ledger within 20 s while RabbitMQ was away");
        grant.RevocationReason.ShouldBe("dataset-withdrawn:erasure-request");
        var jobView = await DatasetApi.ReadJsonAsync(await broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem).GetAsync($"/training-jobs/{job}"));
        jobView["revokedGrants"]!.AsArray().Select(g => g!.GetValue<string>()).ShouldContain(grantId);
        var refused = await broker.ClientFor(TestTenants.PlCyfronet, Roles.DataPlane)
            .PostJsonAsync($"/grants/{grantId}/redemptions", GrantTokens.Release(grantId, 1, DatasetApi.Digest1));
        refused.StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    private async Task<Grant?> RevokedAsync(Guid grantId)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            await using var query = broker.Services.GetRequiredService<IDocumentStore>().QuerySession();
            if (await query.LoadAsync<Grant>(grantId) is { Status: GrantStatus.Revoked } revoked)
            {
                return revoked;
            }
            await Task.Delay(100);
        }
        return null;
    }
}
