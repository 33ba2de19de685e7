using System.Net;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Provenance.ProvenanceWorld;

namespace BalticAI.Sovereignty.Api.Tests.Provenance;

/// <summary>
/// pl-cyfronet delegates its jobs to lt-rc: a Lithuanian training system runs a Polish operator's job on a
/// Polish site, on Polish data. The LT feed carries the runs and model versions it reports (the acting
/// organisation's country), so the LT regulator reads them; a regulator of an unconcerned country does not.
/// </summary>
public sealed class DelegatedTrainingReadTests(BrokerFactory broker) : IClassFixture<BrokerFactory>, IAsyncLifetime
{
    private Guid _site;

    public async Task InitializeAsync()
    {
        await ActivateTestBundleAsync(broker, "provenance-delegated");
        _site = await RegisterSiteAsync(broker, $"pl-dl-{Guid.NewGuid():N}"[..20], "PL");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_regulator_of_the_training_systems_country_reads_the_model_version_and_its_provenance()
    {
        var modelId = $"bielik-lt-{Guid.NewGuid():N}"[..20];
        var (job, dataset, _) = await GrantedJobAsync(broker, _site, trainingSystem: TestTenants.LtRegisters);
        await TrainAsync(broker, job, [Input(dataset)], ModelOutput(modelId, "1.0"), TestTenants.LtRegisters);
        var lithuanian = broker.ClientFor(TestTenants.LtVdai, Roles.Regulator);
        var estonian = broker.ClientFor(TestTenants.EeAki, Roles.Regulator);
        var routes = new[] { "", "/provenance", "/prov", "/training-content-summary" }.Select(r => $"/models/{modelId}/versions/1.0{r}").ToList();

        foreach (var route in routes)
        {
            var read = await lithuanian.GetAsync(route);
            read.StatusCode.ShouldBe(HttpStatusCode.OK, $"{route}: {await read.Content.ReadAsStringAsync()}");
            (await estonian.GetAsync(route)).StatusCode.ShouldBe(HttpStatusCode.NotFound, route);
        }
        var provenance = await DatasetApi.ReadJsonAsync(await lithuanian.GetAsync(routes[1]));
        provenance["modelVersion"]!["trainingSystem"]!.GetValue<string>().ShouldBe("lt-rc");
        provenance["datasetVersions"]!.AsArray().Single()!["datasetId"]!.GetValue<string>().ShouldBe(dataset.ToString());
    }

    [Fact]
    public async Task The_regulator_of_the_training_systems_country_sees_its_runs_in_a_foreign_datasets_lineage_and_only_those()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (delegated, dataset, _) = await GrantedJobAsync(broker, _site, trainingSystem: TestTenants.LtRegisters);
        var delegatedRun = await TrainAsync(broker, delegated, [Input(dataset)], ModelOutput($"lt-run-{suffix}", "1.0"), TestTenants.LtRegisters);
        // The operator's own training system reads the same dataset: nothing of it reaches the LT feed.
        var own = await RegisterJobAsync(broker, _site, commercial: false);
        await RedeemAsync(broker, await GrantAsync(broker, own, dataset));
        await TrainAsync(broker, own, [Input(dataset)], ModelOutput($"pl-run-{suffix}", "1.0"));
        var lithuanian = broker.ClientFor(TestTenants.LtVdai, Roles.Regulator);
        var estonian = broker.ClientFor(TestTenants.EeAki, Roles.Regulator);

        var lineage = await lithuanian.GetAsync($"/datasets/{dataset}/lineage");
        var prov = await lithuanian.GetAsync($"/datasets/{dataset}/prov");

        lineage.StatusCode.ShouldBe(HttpStatusCode.OK, await lineage.Content.ReadAsStringAsync());
        var seen = await DatasetApi.ReadJsonAsync(lineage);
        seen["runs"]!.AsArray().Select(r => r!["runId"]!.GetValue<string>()).ShouldBe([delegatedRun.ToString()]);
        seen["jobs"]!.AsArray().Select(j => j!["jobId"]!.GetValue<string>()).ShouldBe([delegated.ToString()]);
        seen["modelVersions"]!.AsArray().Select(m => m!["modelId"]!.GetValue<string>()).ShouldBe([$"lt-run-{suffix}"]);
        prov.StatusCode.ShouldBe(HttpStatusCode.OK, await prov.Content.ReadAsStringAsync());
        var exported = await prov.Content.ReadAsStringAsync();
        exported.ShouldContain(delegatedRun.ToString());
        exported.ShouldContain($"lt-run-{suffix}");
        exported.ShouldNotContain($"pl-run-{suffix}");
        (await lithuanian.GetAsync($"/models/pl-run-{suffix}/versions/1.0")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await estonian.GetAsync($"/datasets/{dataset}/lineage")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await estonian.GetAsync($"/datasets/{dataset}/prov")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
