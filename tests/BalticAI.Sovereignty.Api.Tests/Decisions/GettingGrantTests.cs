using System.Net;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Platform.ProblemAndOpenApiTests;

namespace BalticAI.Sovereignty.Api.Tests.Decisions;

/// <summary>`GET /grants/{id}`: the resource a redemption's Location names, as the ledger leaves it, for those its feed reaches.</summary>
public sealed class GettingGrantTests(BrokerFactory broker) : IClassFixture<BrokerFactory>
{
    [Fact]
    public async Task A_grant_reads_as_released_then_revoked_at_the_redemptions_Location()
    {
        await ActivateAsync(broker, Bundle("get-grant-1"));
        var job = await RegisterJobAsync(broker, await RegisterSiteAsync(broker, $"pl-get-{Guid.NewGuid():N}"[..20], "PL"), commercial: false);
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);
        var asked = await broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem).PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)));
        var grantId = GrantTokens.Remember((await DatasetApi.ReadJsonAsync(asked))["decisions"]![0]!["grant"]!);
        var redeemed = await broker.ClientFor(TestTenants.PlCyfronet, Roles.DataPlane)
            .PostJsonAsync($"/grants/{grantId}/redemptions", GrantTokens.Release(grantId, 1, DatasetApi.Digest1));
        var trainingSystem = broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem);

        var released = await trainingSystem.GetAsync(redeemed.Headers.Location!.ToString());

        released.StatusCode.ShouldBe(HttpStatusCode.OK, await released.Content.ReadAsStringAsync());
        var body = await DatasetApi.ReadJsonAsync(released);
        body["id"]!.GetValue<string>().ShouldBe(grantId);
        body["status"]!.GetValue<string>().ShouldBe("active");
        body["expired"]!.GetValue<bool>().ShouldBeFalse();
        body["redemptions"]!.GetValue<int>().ShouldBe(1);
        body["bytesReleased"]!.GetValue<long>().ShouldBeGreaterThan(0);

        var owner = broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner);
        var etag = (await owner.GetAsync($"/datasets/{dataset}")).Headers.ETag!.ToString();
        (await owner.SendAsync(HttpMethod.Post, $"/datasets/{dataset}/withdrawal", """{"reason": "erasure-request"}""", etag)).IsSuccessStatusCode.ShouldBeTrue();
        var revoked = await UntilRevokedAsync(trainingSystem, grantId);
        revoked["revocationReason"]!.GetValue<string>().ShouldBe("dataset-withdrawn:erasure-request");
    }

    [Fact]
    public async Task A_national_regulator_reads_the_grants_of_its_country_only_and_an_unknown_grant_is_404()
    {
        await ActivateAsync(broker, Bundle("get-grant-2"));
        var job = await RegisterJobAsync(broker, await RegisterSiteAsync(broker, $"pl-get-{Guid.NewGuid():N}"[..20], "PL"), commercial: false);
        var asked = await broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem)
            .PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((await RegisterDatasetAsync(broker, researchOnly: false), 1)));
        var grantId = (await DatasetApi.ReadJsonAsync(asked))["decisions"]![0]!["grant"]!["id"]!.GetValue<string>();

        var polish = await broker.ClientFor(TestTenants.PlUodo, Roles.Regulator).GetAsync($"/grants/{grantId}");
        var estonian = await broker.ClientFor(TestTenants.EeAki, Roles.Regulator).GetAsync($"/grants/{grantId}");
        var auditor = await broker.ClientFor(TestTenants.EeAki, Roles.Auditor).GetAsync($"/grants/{grantId}");
        var unknown = await broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor).GetAsync($"/grants/{Guid.NewGuid()}");

        polish.StatusCode.ShouldBe(HttpStatusCode.OK);
        await ShouldBeProblemAsync(estonian, HttpStatusCode.NotFound);
        auditor.StatusCode.ShouldBe(HttpStatusCode.OK);
        await ShouldBeProblemAsync(unknown, HttpStatusCode.NotFound);
    }
}
