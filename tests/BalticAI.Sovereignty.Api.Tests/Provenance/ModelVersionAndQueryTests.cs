using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Provenance.ProvenanceWorld;

namespace BalticAI.Sovereignty.Api.Tests.Provenance;

public sealed class ModelVersionAndQueryTests(BrokerFactory broker) : IClassFixture<BrokerFactory>, IAsyncLifetime
{
    private Guid _site;

    public async Task InitializeAsync()
    {
        await ActivateTestBundleAsync(broker, "provenance-2");
        _site = await RegisterSiteAsync(broker, $"pl-mv-{Guid.NewGuid():N}"[..20], "PL");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_fine_tune_inherits_its_bases_restrictions_and_both_queries_follow_the_chain()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (baseJob, researchOnly, _) = await GrantedJobAsync(broker, _site, researchOnly: true);
        var baseRun = await TrainAsync(broker, baseJob, [Input(researchOnly)], ModelOutput($"pllum-{suffix}", "1.0"));
        var (chatJob, open, _) = await GrantedJobAsync(broker, _site);
        await TrainAsync(broker, chatJob, [Input(open)], ModelOutput($"pllum-chat-{suffix}", "1.0", ($"pllum-{suffix}", "1.0")));
        var auditor = broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor);

        var chat = await DatasetApi.ReadJsonAsync(await auditor.GetAsync($"/models/pllum-chat-{suffix}/versions/1.0"));
        var lineage = await DatasetApi.ReadJsonAsync(await auditor.GetAsync($"/datasets/{researchOnly}/lineage"));
        var provenance = await DatasetApi.ReadJsonAsync(await auditor.GetAsync($"/models/pllum-chat-{suffix}/versions/1.0/provenance"));

        chat["restrictions"]!["nonCommercial"]!.GetValue<bool>().ShouldBeTrue();
        chat["restrictions"]!["researchOnly"]!.GetValue<bool>().ShouldBeTrue();
        chat["restrictions"]!["licenceConflicts"]!.AsArray().ShouldNotBeEmpty("Apache-2.0 is broader than a research-only input");
        chat["baseModel"]!["modelVersionId"].ShouldNotBeNull();
        chat["digest"]!.GetValue<string>().ShouldBe(ModelDigest);

        lineage["modelVersions"]!.AsArray().Select(m => (m!["modelId"]!.GetValue<string>(), m["depth"]!.GetValue<int>()))
            .ShouldBe([($"pllum-{suffix}", 0), ($"pllum-chat-{suffix}", 1)]);
        lineage["modelVersions"]!.AsArray().ShouldAllBe(m => m!["restrictions"]!["researchOnly"]!.GetValue<bool>() && m["restrictions"]!["sources"] == null);
        lineage["modelVersions"]![1]!["restrictions"]!["licenceConflicts"]!.AsArray().ShouldNotBeEmpty();
        lineage["runs"]!.AsArray().Select(r => r!["runId"]!.GetValue<string>()).ShouldBe([baseRun.ToString()]);
        lineage["jobs"]!.AsArray().Select(j => j!["jobId"]!.GetValue<string>()).ShouldBe([baseJob.ToString(), chatJob.ToString()], ignoreOrder: true);

        provenance["datasetVersions"]!.AsArray().Select(d => (d!["datasetId"]!.GetValue<string>(), d["depth"]!.GetValue<int>()))
            .ShouldBe([(open.ToString(), 0), (researchOnly.ToString(), 1)], ignoreOrder: true);
        provenance["grants"]!.AsArray().Count.ShouldBe(2);
        provenance["decisions"]!.AsArray().Count.ShouldBe(2);
        provenance["policyRevisions"]!.AsArray().Select(p => p!["revision"]!.GetValue<string>()).ShouldContain("provenance-2");
        provenance["baseModels"]!.AsArray().Single()!["modelId"]!.GetValue<string>().ShouldBe($"pllum-{suffix}");
        provenance["sites"]!.AsArray().Single()!["siteId"]!.GetValue<string>().ShouldBe(_site.ToString());
        provenance["countries"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe(["PL"]);
    }

    [Fact]
    public async Task A_regulator_of_another_country_sees_neither_lineage_nor_provenance()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (job, dataset, _) = await GrantedJobAsync(broker, _site);
        await TrainAsync(broker, job, [Input(dataset)], ModelOutput($"bielik-{suffix}", "2.0"));
        var estonian = broker.ClientFor(TestTenants.EeAki, Roles.Regulator);
        var polish = broker.ClientFor(TestTenants.PlUodo, Roles.Regulator);

        (await estonian.GetAsync($"/datasets/{dataset}/lineage")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await estonian.GetAsync($"/models/bielik-{suffix}/versions/2.0/provenance")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await estonian.GetAsync($"/models/bielik-{suffix}/versions/2.0")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await polish.GetAsync($"/datasets/{dataset}/lineage")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await polish.GetAsync($"/models/bielik-{suffix}/versions/2.0/provenance")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem).GetAsync($"/datasets/{dataset}/lineage")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData(Roles.DataOwner)]
    [InlineData(Roles.TrainingSystem)]
    public async Task A_regulators_other_role_does_not_open_another_countrys_lineage_or_provenance(string otherRole)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (job, dataset, _) = await GrantedJobAsync(broker, _site);
        await TrainAsync(broker, job, [Input(dataset)], ModelOutput($"herbert-{suffix}", "1.0"));
        // That role alone may not call these routes at all: beside Regulator it must not lift the country limit.
        var estonian = broker.ClientFor(TestTenants.EeAki, Roles.Regulator, otherRole);

        foreach (var path in new[]
        {
            $"/datasets/{dataset}/lineage", $"/datasets/{dataset}/prov",
            $"/models/herbert-{suffix}/versions/1.0/provenance", $"/models/herbert-{suffix}/versions/1.0/prov",
        })
        {
            (await estonian.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.NotFound, path);
        }
    }

    [Fact]
    public async Task Dataset_lineage_follows_datasets_registered_as_derived_from_it()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var source = await RegisterDatasetAsync(broker, researchOnly: false);
        var derived = await RegisterDerivedAsync(broker, source, $"Cleaned corpus {suffix}");
        var job = await RegisterJobAsync(broker, _site, commercial: false);
        await RedeemAsync(broker, await GrantAsync(broker, job, derived));
        var run = await TrainAsync(broker, job, [Input(derived)], ModelOutput($"derived-{suffix}", "1.0"));

        var lineage = await DatasetApi.ReadJsonAsync(await broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor).GetAsync($"/datasets/{source}/lineage"));

        lineage["derivedDatasets"]!.AsArray().Select(d => (d!["datasetId"]!.GetValue<string>(), d["derivedFrom"]!.GetValue<string>(), d["depth"]!.GetValue<int>()))
            .ShouldBe([(derived.ToString(), source.ToString(), 1)]);
        lineage["modelVersions"]!.AsArray().Select(m => (m!["modelId"]!.GetValue<string>(), m["datasetId"]!.GetValue<string>(), m["depth"]!.GetValue<int>()))
            .ShouldBe([($"derived-{suffix}", derived.ToString(), 0)]);
        lineage["runs"]!.AsArray().Select(r => (r!["runId"]!.GetValue<string>(), r["datasetId"]!.GetValue<string>())).ShouldBe([(run.ToString(), derived.ToString())]);
        lineage["jobs"]!.AsArray().Select(j => j!["jobId"]!.GetValue<string>()).ShouldBe([job.ToString()]);

        var prov = await DatasetApi.ReadJsonAsync(await broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor).GetAsync($"/datasets/{source}/prov"));
        Pairs(prov, "wasDerivedFrom", "prov:generatedEntity", "prov:usedEntity").ShouldContain(($"dataset:{derived}", $"dataset:{source}"));
        Pairs(prov, "wasDerivedFrom", "prov:generatedEntity", "prov:usedEntity").ShouldContain(($"model:derived-{suffix}/1.0", $"dataset:{derived}/1"));
        Pairs(prov, "specializationOf", "prov:specificEntity", "prov:generalEntity").ShouldContain(($"dataset:{derived}/1", $"dataset:{derived}"));
        Pairs(prov, "specializationOf", "prov:specificEntity", "prov:generalEntity").ShouldContain(($"dataset:{source}/1", $"dataset:{source}"));
        Pairs(prov, "used", "prov:activity", "prov:entity").ShouldContain(($"run:{run}", $"dataset:{derived}/1"));
    }

    [Fact]
    public async Task The_rest_route_registers_a_covered_model_version_once_and_refuses_an_uncovered_one()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (job, dataset, grant) = await GrantedJobAsync(broker, _site);
        var ungranted = await RegisterDatasetAsync(broker, researchOnly: false);
        JsonObject Body(Guid trainedOn) => new()
        {
            ["version"] = "1.0",
            ["digest"] = ModelDigest,
            ["jobId"] = job.ToString(),
            ["trainedOn"] = new JsonArray(new JsonObject { ["datasetId"] = trainedOn.ToString(), ["version"] = 1 }),
        };
        var client = TrainingSystem(broker);

        var created = await client.PostJsonAsync($"/models/gemma-{suffix}/versions", Body(dataset));
        var repeated = await client.PostJsonAsync($"/models/gemma-{suffix}/versions", Body(dataset));
        var uncovered = await client.PostJsonAsync($"/models/gemma-uncovered-{suffix}/versions", Body(ungranted));

        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        created.Headers.Location!.ToString().ShouldBe($"/models/gemma-{suffix}/versions/1.0");
        (await DatasetApi.ReadJsonAsync(created))["upstream"]![0]!["grants"]![0]!["grantId"]!.GetValue<string>().ShouldBe(grant);
        repeated.StatusCode.ShouldBe(HttpStatusCode.OK);
        uncovered.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await DatasetApi.ReadJsonAsync(uncovered))["errors"]!.AsObject().ContainsKey("/trainedOn/0").ShouldBeTrue();
        (await client.GetAsync($"/models/gemma-uncovered-{suffix}/versions/1.0")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // The run's COMPLETE naming the same model version afterwards is accepted and registers nothing new.
        var completed = await ReportOkAsync(broker, RunEvent("COMPLETE", Guid.NewGuid(), job, [Input(dataset)], [ModelOutput($"gemma-{suffix}", "1.0")]));
        completed["modelVersions"]![0]!["modelId"]!.GetValue<string>().ShouldBe($"gemma-{suffix}");
        var conflicting = ModelOutput($"gemma-{suffix}", "1.0");
        conflicting["facets"]!["balticai_model"]!["digest"] = DatasetApi.Digest2;
        var refused = await ReportAsync(broker, RunEvent("COMPLETE", Guid.NewGuid(), job, [Input(dataset)], [conflicting]));
        refused.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await DatasetApi.ReadJsonAsync(refused))["errors"]!.AsObject().ContainsKey("/outputs/0/name").ShouldBeTrue();
    }

    [Fact]
    public async Task Prov_json_exports_link_runs_datasets_models_and_organisations()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (baseJob, first, _) = await GrantedJobAsync(broker, _site);
        var baseRun = await TrainAsync(broker, baseJob, [Input(first)], ModelOutput($"prov-base-{suffix}", "1"));
        var (tuneJob, second, _) = await GrantedJobAsync(broker, _site);
        var tuneRun = await TrainAsync(broker, tuneJob, [Input(second)], ModelOutput($"prov-tune-{suffix}", "1", ($"prov-base-{suffix}", "1")));
        var auditor = broker.ClientFor(TestTenants.PlUodo, Roles.Auditor);

        var model = await DatasetApi.ReadJsonAsync(await auditor.GetAsync($"/models/prov-tune-{suffix}/versions/1/prov"));
        var dataset = await DatasetApi.ReadJsonAsync(await auditor.GetAsync($"/datasets/{first}/prov"));

        model["entity"]!.AsObject().Select(e => e.Key).ShouldBe(
            [$"model:prov-base-{suffix}/1", $"model:prov-tune-{suffix}/1", $"dataset:{first}/1", $"dataset:{second}/1"], ignoreOrder: true);
        Pairs(model, "used", "prov:activity", "prov:entity").ShouldContain(($"run:{baseRun}", $"dataset:{first}/1"));
        Pairs(model, "used", "prov:activity", "prov:entity").ShouldContain(($"run:{tuneRun}", $"dataset:{second}/1"));
        Pairs(model, "wasDerivedFrom", "prov:generatedEntity", "prov:usedEntity").ShouldContain(($"model:prov-tune-{suffix}/1", $"model:prov-base-{suffix}/1"));
        Pairs(model, "wasGeneratedBy", "prov:entity", "prov:activity").ShouldContain(($"model:prov-tune-{suffix}/1", $"run:{tuneRun}"));
        Pairs(model, "wasAssociatedWith", "prov:activity", "prov:agent").ShouldContain(($"run:{tuneRun}", "org:pl-cyfronet"));
        Pairs(model, "wasAttributedTo", "prov:entity", "prov:agent").ShouldContain(($"dataset:{first}/1", "org:pl-mc"));
        Pairs(dataset, "used", "prov:activity", "prov:entity").ShouldContain(($"run:{baseRun}", $"dataset:{first}/1"));
        Pairs(dataset, "used", "prov:activity", "prov:entity").ShouldContain(($"run:{tuneRun}", $"model:prov-base-{suffix}/1"), "the fine-tune run used its base");
        Pairs(dataset, "wasDerivedFrom", "prov:generatedEntity", "prov:usedEntity").ShouldContain(($"model:prov-tune-{suffix}/1", $"dataset:{first}/1"));
    }

    [Fact]
    public async Task The_training_content_summary_is_filled_from_the_ledger_as_json_and_markdown()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (job, dataset, _) = await GrantedJobAsync(broker, _site);
        var undeclared = await RegisterDatasetAsync(broker, researchOnly: false);
        await RedeemAsync(broker, await GrantAsync(broker, job, undeclared));
        var owner = broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner);
        var etag = (await owner.GetAsync($"/datasets/{dataset}")).Headers.ETag!.ToString();
        var measures = new JsonArray("CSAM hash matching against the hotline's list", "terrorist-content classifier");
        (await owner.PatchTermsAsync(dataset, new JsonObject { ["content"] = new JsonObject { ["illegalContentRemoval"] = measures } }, etag))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        await TrainAsync(broker, job, [Input(dataset), Input(undeclared)], ModelOutput($"summary-{suffix}", "1"));
        var auditor = broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor);
        var url = $"/models/summary-{suffix}/versions/1/training-content-summary";

        var json = await DatasetApi.ReadJsonAsync(await auditor.GetAsync(url));
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("text/markdown");
        var markdown = await auditor.SendAsync(request);

        json["general"]!["totalTokens"]!.GetValue<long>().ShouldBe(2 * 250_000);
        json["general"]!["languages"]!.AsArray().Select(l => l!.GetValue<string>()).ShouldBe(["pl"]);
        json["general"]!["provider"]!.GetValue<string>().ShouldBe("pl-cyfronet");
        json["publicDatasets"]!.AsArray().Select(d => d!["datasetId"]!.GetValue<Guid>()).Order().ShouldBe(new[] { dataset, undeclared }.Order());
        json["crawledDatasets"]!.AsArray().ShouldBeEmpty();
        var removal = json["illegalContentRemoval"]!.AsArray().ToDictionary(r => r!["datasetId"]!.GetValue<Guid>(), r => r!["measures"]!.AsArray().Select(m => m!.GetValue<string>()).ToList());
        removal[dataset].ShouldBe(["CSAM hash matching against the hotline's list", "terrorist-content classifier"]);
        removal[undeclared].ShouldBeEmpty();
        json["notRecorded"]!.AsArray().Select(n => n!.GetValue<string>()).ShouldContain($"measures to remove illegal content from 1 of 2 dataset versions, whose owners declared none: {undeclared} v1");
        markdown.Content.Headers.ContentType!.MediaType.ShouldBe("text/markdown");
        var text = await markdown.Content.ReadAsStringAsync();
        text.ShouldContain("## 2. List of data sources");
        text.ShouldContain($"| {dataset} | 1 |");
        text.ShouldContain($"- {dataset} v1: CSAM hash matching against the hotline's list; terrorist-content classifier");
    }

    private static List<(string, string)> Pairs(JsonNode document, string relation, string from, string to) =>
        document[relation]!.AsObject().Select(r => (r.Value![from]!.GetValue<string>(), r.Value![to]!.GetValue<string>())).ToList();
}
