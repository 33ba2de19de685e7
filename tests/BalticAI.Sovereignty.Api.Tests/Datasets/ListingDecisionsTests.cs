using System.Net;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Api.Tests.Ledger;
using BalticAI.Sovereignty.Api.Tests.Provenance;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Ledger.LedgerEventsApi;
using static BalticAI.Sovereignty.Api.Tests.Platform.ProblemAndOpenApiTests;

namespace BalticAI.Sovereignty.Api.Tests.Datasets;

/// <summary>`GET /datasets/{id}/decisions`: who asked for a dataset, what was decided, what moved.</summary>
[Collection(LedgerCollection.Name)]
public sealed class ListingDecisionsTests(BrokerFactory broker) : IClassFixture<BrokerFactory>
{
    [Fact]
    public async Task The_owner_reads_every_decision_on_its_dataset_with_the_grant_and_the_bytes_released()
    {
        var (dataset, job) = await GrantedAndReleasedAsync("decisions-owner");
        var path = $"/datasets/{dataset}/decisions";

        var items = await WaitForAsync(broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner), "", i => i.Count == 3, path);
        var released = await WaitForAsync(broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner), "?type=GrantRedeemed", i => i.Count == 1, path);
        var polish = await WaitForAsync(broker.ClientFor(TestTenants.PlUodo, Roles.Regulator), "", i => i.Count == 3, path);

        items.Select(Type).ShouldBe(["access_decided", "grant_issued", "grant_redeemed"]);
        items[0]["data"]!["allowed"]!.GetValue<bool>().ShouldBeTrue();
        items[0]["data"]!["jobId"]!.GetValue<string>().ShouldBe(job.ToString());
        items[0]["data"]!["trainingSystem"]!.GetValue<string>().ShouldBe("pl-cyfronet");
        released.Single()["data"]!["bytes"]!.GetValue<long>().ShouldBe(1000);
        polish.Select(Type).ShouldBe(["access_decided", "grant_issued", "grant_redeemed"]);
    }

    [Fact]
    public async Task Another_organisations_data_owner_and_a_training_system_get_403_another_countrys_regulator_404()
    {
        var (dataset, _) = await GrantedAndReleasedAsync("decisions-others");
        var path = $"/datasets/{dataset}/decisions";

        var publisher = await broker.ClientFor(TestTenants.PlPublisher, Roles.DataOwner).GetAsync(path);
        var trainer = await broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem).GetAsync(path);
        var estonian = await broker.ClientFor(TestTenants.EeAki, Roles.Regulator).GetAsync(path);
        var unknown = await broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner).GetAsync($"/datasets/{Guid.NewGuid()}/decisions");

        (await ShouldBeProblemAsync(publisher, HttpStatusCode.Forbidden))["detail"]!.GetValue<string>().ShouldContain("owner organisation");
        await ShouldBeProblemAsync(trainer, HttpStatusCode.Forbidden);
        await ShouldBeProblemAsync(estonian, HttpStatusCode.NotFound);
        await ShouldBeProblemAsync(unknown, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_regulator_of_the_site_reads_the_decisions_on_another_countrys_dataset_its_feed_carried()
    {
        var site = await RegisterSiteAsync(broker, $"lt-dd-{Guid.NewGuid():N}"[..18], "LT");
        var job = await RegisterJobAsync(broker, site, commercial: false);
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);
        var asked = await ProvenanceWorld.TrainingSystem(broker).PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)));
        asked.StatusCode.ShouldBe(HttpStatusCode.OK, await asked.Content.ReadAsStringAsync());
        var lithuanian = broker.ClientFor(TestTenants.LtVdai, Roles.Regulator);
        await ShouldBeProblemAsync(await lithuanian.GetAsync($"/datasets/{dataset}"), HttpStatusCode.NotFound);
        var fed = await WaitForAsync(lithuanian, $"?dataset={dataset}&type=AccessDecided", i => i.Count == 1);

        var items = await WaitForAsync(lithuanian, "?type=AccessDecided", i => i.Count == 1, $"/datasets/{dataset}/decisions");

        items.Single()["eventId"]!.GetValue<string>().ShouldBe(fed.Single()["eventId"]!.GetValue<string>());
        await ShouldBeProblemAsync(await broker.ClientFor(TestTenants.EeAki, Roles.Regulator).GetAsync($"/datasets/{dataset}/decisions"), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("?type=DatasetRegistered", "type")]
    [InlineData("?job=0195f0c8-0000-7000-8000-000000000001", "job")]
    [InlineData("?dataset=0195f0c8-0000-7000-8000-000000000001", "dataset")]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=abc", "limit")]
    [InlineData("?from=yesterday", "from")]
    [InlineData("?colour=red", "colour")]
    public async Task A_filter_outside_the_datasets_decisions_is_400_naming_the_parameter(string query, string parameter)
    {
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);

        var response = await broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner).GetAsync($"/datasets/{dataset}/decisions{query}");

        var problem = await ShouldBeProblemAsync(response, HttpStatusCode.BadRequest);
        ShouldNameInvalidQuery(problem, parameter);
    }

    [Fact]
    public async Task A_type_outside_the_decisions_is_named_beside_another_bad_parameter()
    {
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);

        var response = await broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner).GetAsync($"/datasets/{dataset}/decisions?type=DatasetRegistered&limit=0");

        var errors = ShouldNameInvalidQuery(await ShouldBeProblemAsync(response, HttpStatusCode.BadRequest), "type", "limit");
        errors["limit"].ShouldBe(["must be a whole number between 1 and 1000"]);
    }

    private async Task<(Guid Dataset, Guid Job)> GrantedAndReleasedAsync(string revision)
    {
        await ProvenanceWorld.ActivateTestBundleAsync(broker, revision);
        var site = await RegisterSiteAsync(broker, $"pl-dd-{Guid.NewGuid():N}"[..18], "PL");
        var job = await RegisterJobAsync(broker, site, commercial: false);
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);
        var grant = await ProvenanceWorld.GrantAsync(broker, job, dataset);
        await ProvenanceWorld.RedeemAsync(broker, grant);
        return (dataset, job);
    }
}
