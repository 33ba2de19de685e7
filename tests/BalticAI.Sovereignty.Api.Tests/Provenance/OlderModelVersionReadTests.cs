using System.Net;
using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Datasets.ReferenceData;
using BalticAI.Sovereignty.Api.Decisions;
using BalticAI.Sovereignty.Api.Decisions.Grants;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Ledger;
using BalticAI.Sovereignty.Api.Provenance;
using BalticAI.Sovereignty.Api.Provenance.ModelVersions;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Api.TrainingJobs;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Provenance.ProvenanceWorld;

namespace BalticAI.Sovereignty.Api.Tests.Provenance;

/// <summary>
/// A Polish job on a Polish site whose model goes to Latvia, with a model version recorded before model-version
/// events listed the recipient's country: it lists PL only. The LV regulator reads it through the job's recipient;
/// a regulator of a country the job does not concern still does not.
/// </summary>
public sealed class OlderModelVersionReadTests(BrokerFactory broker) : IClassFixture<BrokerFactory>, IAsyncLifetime
{
    private static readonly Actor TrainingSystemActor = new("pl-cyfronet", "PL", "trainer-app", "ps:older");
    private Guid _site;

    public async Task InitializeAsync()
    {
        await ActivateTestBundleAsync(broker, "provenance-older-recipient");
        _site = await RegisterSiteAsync(broker, $"pl-or-{Guid.NewGuid():N}"[..20], "PL");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_model_recipients_regulator_reads_a_model_version_recorded_without_its_country()
    {
        var modelId = $"older-lv-{Guid.NewGuid():N}"[..20];
        var job = await RegisterJobWithRecipientAsync(broker, _site, "LV");
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);
        await AppendOlderModelVersionAsync(job, dataset, modelId);
        var latvian = broker.ClientFor(TestTenants.LvDvi, Roles.Regulator);
        var estonian = broker.ClientFor(TestTenants.EeAki, Roles.Regulator);
        var routes = new[] { "", "/provenance", "/prov", "/training-content-summary" }.Select(r => $"/models/{modelId}/versions/1.0{r}")
            .Append($"/datasets/{dataset}/lineage")
            .Append($"/datasets/{dataset}/prov")
            .ToList();

        foreach (var route in routes)
        {
            var read = await latvian.GetAsync(route);
            read.StatusCode.ShouldBe(HttpStatusCode.OK, $"{route}: {await read.Content.ReadAsStringAsync()}");
            (await estonian.GetAsync(route)).StatusCode.ShouldBe(HttpStatusCode.NotFound, route);
        }
        var lineage = await DatasetApi.ReadJsonAsync(await latvian.GetAsync($"/datasets/{dataset}/lineage"));
        lineage["modelVersions"]!.AsArray().Select(m => m!["modelId"]!.GetValue<string>()).ShouldBe([modelId]);
    }

    /// <summary>As a broker before session 15 recorded it: the site's, operator's, training system's and data's countries, not the recipient's.</summary>
    private async Task AppendOlderModelVersionAsync(Guid jobId, Guid datasetId, string modelId)
    {
        var store = broker.Services.GetRequiredService<IDocumentStore>();
        await using var session = store.LightweightSession();
        var job = (await session.LoadAsync<TrainingJob>(jobId)).ShouldNotBeNull();
        var dataset = (await session.LoadAsync<DatasetView>(datasetId)).ShouldNotBeNull();
        var id = LineageNames.ModelVersionId(modelId, "1.0");
        var prepared = ModelVersionRegistrar.Build(
            id, job, "PL", new ModelVersionRequest(modelId, "1.0", ModelDigest, null, [new RunInput(datasetId, 1, [])], null, "/version", "/baseModel", "/jobId"),
            null, null, new Dictionary<Guid, Grant>(), new Dictionary<Guid, AccessDecided>(), new Dictionary<Guid, Dataset> { [datasetId] = dataset.State },
            new Dictionary<string, LicenceTerms>(), DateTimeOffset.UtcNow);
        prepared.Registered.Countries.ShouldContain("LV");
        session.RecordActor(TrainingSystemActor);
        session.Events.StartStream<ModelVersionView>(id, prepared.Registered with { Countries = ["PL"] });
        await session.SaveChangesAsync();
    }
}
