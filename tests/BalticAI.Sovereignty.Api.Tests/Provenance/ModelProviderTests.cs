using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Provenance.ModelVersions;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Provenance.ProvenanceWorld;

namespace BalticAI.Sovereignty.Api.Tests.Provenance;

/// <summary>A model id has one provider, the operator of its first version's job: no other organisation adds versions to it.</summary>
public sealed class ModelProviderTests(BrokerFactory broker) : IClassFixture<BrokerFactory>, IAsyncLifetime
{
    private Guid _site;

    public async Task InitializeAsync()
    {
        await ActivateTestBundleAsync(broker, "provenance-providers");
        _site = await RegisterSiteAsync(broker, $"pl-mp-{Guid.NewGuid():N}"[..20], "PL");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_models_versions_come_from_its_providers_jobs_only_whichever_training_system_reports_them()
    {
        var model = $"pllum-{Guid.NewGuid():N}"[..14];
        var (job, dataset, _) = await GrantedJobAsync(broker, _site);
        var foreignJob = await RegisterJobAsync(broker, _site, commercial: false, TestTenants.LtRegisters, "lt-rc");
        await RedeemAsync(broker, await GrantAsync(broker, foreignJob, dataset, trainingSystem: TestTenants.LtRegisters));
        // lt-rc's training system runs this one for pl-cyfronet (a job delegate): pl-cyfronet provides what it trains.
        var delegatedJob = await RegisterJobAsync(broker, _site, commercial: false, TestTenants.LtRegisters);
        await RedeemAsync(broker, await GrantAsync(broker, delegatedJob, dataset, trainingSystem: TestTenants.LtRegisters));
        JsonObject Body(Guid byJob, string version, string? baseModel = null)
        {
            var body = new JsonObject
            {
                ["version"] = version,
                ["digest"] = ModelDigest,
                ["jobId"] = byJob.ToString(),
                ["trainedOn"] = new JsonArray(new JsonObject { ["datasetId"] = dataset.ToString(), ["version"] = 1 }),
            };
            if (baseModel is not null)
            {
                body["baseModel"] = new JsonObject { ["modelId"] = baseModel, ["version"] = "1.0" };
            }
            return body;
        }
        var lithuanian = TrainingSystem(broker, TestTenants.LtRegisters);

        (await TrainingSystem(broker).PostJsonAsync($"/models/{model}/versions", Body(job, "1.0"))).StatusCode.ShouldBe(HttpStatusCode.Created);
        var foreign = await lithuanian.PostJsonAsync($"/models/{model}/versions", Body(foreignJob, "2.0"));
        var foreignReport = await ReportAsync(broker, RunEvent("COMPLETE", Guid.NewGuid(), foreignJob, [Input(dataset)], [ModelOutput(model, "3.0")]), TestTenants.LtRegisters);
        var delegated = await lithuanian.PostJsonAsync($"/models/{model}/versions", Body(delegatedJob, "2.0"));
        var fineTuned = await lithuanian.PostJsonAsync($"/models/{model}-lt/versions", Body(foreignJob, "1.0", baseModel: model));

        var problem = await DatasetApi.ReadJsonAsync(foreign);
        foreign.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity, problem.ToJsonString());
        problem["errors"]!["/jobId"]![0]!.GetValue<string>().ShouldStartWith($"model {model} is provided by pl-cyfronet");
        foreignReport.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await DatasetApi.ReadJsonAsync(foreignReport))["errors"]!["/outputs/0/name"]![0]!.GetValue<string>().ShouldContain("is provided by pl-cyfronet");
        (await lithuanian.GetAsync($"/models/{model}/versions/3.0")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        delegated.StatusCode.ShouldBe(HttpStatusCode.Created, await delegated.Content.ReadAsStringAsync());
        (await DatasetApi.ReadJsonAsync(delegated))["operator"]!.GetValue<string>().ShouldBe("pl-cyfronet");
        fineTuned.StatusCode.ShouldBe(HttpStatusCode.Created, await fineTuned.Content.ReadAsStringAsync());

        // A model registered before providers were kept has none stored: its first version's operator is its provider.
        await using (var session = broker.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            session.Delete<ModelProvider>(model);
            await session.SaveChangesAsync();
        }
        (await lithuanian.PostJsonAsync($"/models/{model}/versions", Body(foreignJob, "4.0"))).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await TrainingSystem(broker).PostJsonAsync($"/models/{model}/versions", Body(job, "4.0"))).StatusCode.ShouldBe(HttpStatusCode.Created);
        await using (var session = broker.Services.GetRequiredService<IDocumentStore>().QuerySession())
        {
            (await session.LoadAsync<ModelProvider>(model))!.Operator.ShouldBe("pl-cyfronet");
        }
    }

    [Fact]
    public async Task Of_two_first_versions_of_one_model_sent_at_once_by_two_providers_one_stands()
    {
        var model = $"bielik-{Guid.NewGuid():N}"[..15];
        var (job, dataset, _) = await GrantedJobAsync(broker, _site);
        var foreignJob = await RegisterJobAsync(broker, _site, commercial: false, TestTenants.LtRegisters, "lt-rc");
        await RedeemAsync(broker, await GrantAsync(broker, foreignJob, dataset, trainingSystem: TestTenants.LtRegisters));
        JsonObject Body(Guid byJob, string version) => new()
        {
            ["version"] = version,
            ["digest"] = ModelDigest,
            ["jobId"] = byJob.ToString(),
            ["trainedOn"] = new JsonArray(new JsonObject { ["datasetId"] = dataset.ToString(), ["version"] = 1 }),
        };

        var answers = await Task.WhenAll(
            TrainingSystem(broker).PostJsonAsync($"/models/{model}/versions", Body(job, "1.0")),
            TrainingSystem(broker, TestTenants.LtRegisters).PostJsonAsync($"/models/{model}/versions", Body(foreignJob, "1.1")));

        answers.Count(a => a.StatusCode == HttpStatusCode.Created).ShouldBe(1);
        answers.Single(a => a.StatusCode != HttpStatusCode.Created).StatusCode.ShouldBeOneOf(HttpStatusCode.Conflict, HttpStatusCode.UnprocessableEntity);
        var listed = await DatasetApi.ReadJsonAsync(await TrainingSystem(broker).GetAsync($"/models/{model}/versions"));
        listed["items"]!.AsArray().Count.ShouldBe(1, listed.ToJsonString());
        var standing = answers.Single(a => a.StatusCode == HttpStatusCode.Created) == answers[0] ? "pl-cyfronet" : "lt-rc";
        listed["items"]![0]!["operator"]!.GetValue<string>().ShouldBe(standing);
    }
}
