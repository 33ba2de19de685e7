using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Provenance.ProvenanceWorld;

namespace BalticAI.Sovereignty.Api.Tests.Provenance;

/// <summary>Run reports and model registrations that are well-formed JSON but odd: never a 500, never a silent partial record.</summary>
public sealed class OddReportTests(BrokerFactory broker) : IClassFixture<BrokerFactory>, IAsyncLifetime
{
    private Guid _site;

    public async Task InitializeAsync()
    {
        await ActivateTestBundleAsync(broker, "provenance-odd");
        _site = await RegisterSiteAsync(broker, $"pl-odd-{Guid.NewGuid():N}"[..20], "PL");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("START")]
    [InlineData("RUNNING")]
    public async Task A_version_facet_whose_dataset_version_is_not_a_string_is_400_naming_it(string type)
    {
        var (job, dataset, _) = await GrantedJobAsync(broker, _site);
        var output = new JsonObject
        {
            ["namespace"] = "s3://checkpoints",
            ["name"] = "step-1000",
            ["facets"] = new JsonObject { ["version"] = new JsonObject { ["datasetVersion"] = 5 } },
        };
        var before = await CountEventsAsync(broker, "training_run_event_recorded");

        var response = await ReportAsync(broker, RunEvent(type, Guid.NewGuid(), job, [Input(dataset)], [output]));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
        (await DatasetApi.ReadJsonAsync(response))["errors"]!.AsObject().ContainsKey("/outputs/0/facets/version/datasetVersion").ShouldBeTrue();
        (await CountEventsAsync(broker, "training_run_event_recorded")).ShouldBe(before);
    }

    [Fact]
    public async Task A_foreign_output_may_carry_a_long_version_as_other_systems_name_them()
    {
        var (job, dataset, _) = await GrantedJobAsync(broker, _site);
        var output = new JsonObject
        {
            ["namespace"] = "lakefs://checkpoints",
            ["name"] = "main",
            ["facets"] = new JsonObject { ["version"] = new JsonObject { ["datasetVersion"] = new string('c', 100) } },
        };

        await ReportOkAsync(broker, RunEvent("RUNNING", Guid.NewGuid(), job, [Input(dataset)], [output]));
    }

    [Fact]
    public async Task The_nil_uuid_as_run_id_is_400_naming_it()
    {
        var (job, dataset, _) = await GrantedJobAsync(broker, _site);
        var report = RunEvent("START", Guid.Empty, job, [Input(dataset)]);

        var response = await ReportAsync(broker, report);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
        (await DatasetApi.ReadJsonAsync(response))["errors"]!.AsObject().ContainsKey("/run/runId").ShouldBeTrue(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_run_cannot_end_before_it_started()
    {
        var (job, dataset, _) = await GrantedJobAsync(broker, _site);
        var run = Guid.NewGuid();
        var started = DateTimeOffset.UtcNow;
        await ReportOkAsync(broker, RunEvent("START", run, job, [Input(dataset)], at: started));
        var before = await CountEventsAsync(broker, "training_run_event_recorded");
        var models = await CountEventsAsync(broker, "model_version_registered");

        var early = await ReportAsync(broker, RunEvent("COMPLETE", run, job, [Input(dataset)], [ModelOutput($"early-{run:N}"[..20], "1.0")], started.AddHours(-1)));

        early.StatusCode.ShouldBe(HttpStatusCode.Conflict, await early.Content.ReadAsStringAsync());
        (await CountEventsAsync(broker, "training_run_event_recorded")).ShouldBe(before);
        (await CountEventsAsync(broker, "model_version_registered")).ShouldBe(models);
        await ReportOkAsync(broker, RunEvent("COMPLETE", run, job, [Input(dataset)], at: started.AddHours(1)));
    }

    [Fact]
    public async Task Another_report_with_an_earlier_reports_type_and_time_is_409_not_the_earlier_receipt()
    {
        var (job, dataset, _) = await GrantedJobAsync(broker, _site);
        var ungranted = await RegisterDatasetAsync(broker, researchOnly: false);
        var run = Guid.NewGuid();
        var at = DateTimeOffset.UtcNow;
        await ReportOkAsync(broker, RunEvent("RUNNING", run, job, [Input(dataset)], at: at));
        var runEvents = await CountEventsAsync(broker, "training_run_event_recorded");

        var widened = await ReportAsync(broker, RunEvent("RUNNING", run, job, [Input(dataset), Input(ungranted)], at: at));

        // A 200 with the first receipt said the ungranted input was accepted; it was neither recorded nor refused.
        widened.StatusCode.ShouldBe(HttpStatusCode.Conflict, await widened.Content.ReadAsStringAsync());
        (await CountEventsAsync(broker, "training_run_event_recorded")).ShouldBe(runEvents);
        await ReportOkAsync(broker, RunEvent("RUNNING", run, job, [Input(dataset)], at: at));
    }

    [Fact]
    public async Task A_different_registration_of_a_registered_model_version_is_409_even_with_the_same_digest()
    {
        var (job, dataset, _) = await GrantedJobAsync(broker, _site);
        var more = await RegisterDatasetAsync(broker, researchOnly: false);
        await RedeemAsync(broker, await GrantAsync(broker, job, more));
        var modelId = $"same-digest-{Guid.NewGuid():N}"[..24];
        JsonObject Registration(params Guid[] trainedOn) => new()
        {
            ["version"] = "1.0",
            ["digest"] = ModelDigest,
            ["jobId"] = job.ToString(),
            ["trainedOn"] = new JsonArray(trainedOn.Select(d => (JsonNode)new JsonObject { ["datasetId"] = d.ToString(), ["version"] = 1 }).ToArray()),
        };
        var client = TrainingSystem(broker);
        (await client.PostJsonAsync($"/models/{modelId}/versions", Registration(dataset))).StatusCode.ShouldBe(HttpStatusCode.Created);

        var same = await client.PostJsonAsync($"/models/{modelId}/versions", Registration(dataset));
        var widened = await client.PostJsonAsync($"/models/{modelId}/versions", Registration(dataset, more));

        same.StatusCode.ShouldBe(HttpStatusCode.OK);
        widened.StatusCode.ShouldBe(HttpStatusCode.Conflict, "the second dataset would otherwise be acknowledged and never recorded");
        var recorded = await DatasetApi.ReadJsonAsync(await client.GetAsync($"/models/{modelId}/versions/1.0"));
        recorded["upstream"]!.AsArray().Select(u => u!["datasetId"]!.GetValue<string>()).ShouldBe([dataset.ToString()]);
    }

    [Fact]
    public async Task A_model_version_its_run_registered_may_be_posted_again_without_run_or_base()
    {
        var (job, dataset, _) = await GrantedJobAsync(broker, _site);
        var modelId = $"both-routes-{Guid.NewGuid():N}"[..24];
        await TrainAsync(broker, job, [Input(dataset)], ModelOutput(modelId, "1.0"));
        var body = new JsonObject
        {
            ["version"] = "1.0",
            ["digest"] = ModelDigest,
            ["jobId"] = job.ToString(),
            ["trainedOn"] = new JsonArray(new JsonObject { ["datasetId"] = dataset.ToString(), ["version"] = 1 }),
        };

        var again = await TrainingSystem(broker).PostJsonAsync($"/models/{modelId}/versions", body);
        body["runId"] = Guid.NewGuid().ToString();
        var otherRun = await TrainingSystem(broker).PostJsonAsync($"/models/{modelId}/versions", body);

        again.StatusCode.ShouldBe(HttpStatusCode.OK, await again.Content.ReadAsStringAsync());
        otherRun.StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_complete_naming_a_version_registered_with_less_training_data_is_422_not_a_silent_match()
    {
        var (job, dataset, _) = await GrantedJobAsync(broker, _site);
        var more = await RegisterDatasetAsync(broker, researchOnly: false);
        await RedeemAsync(broker, await GrantAsync(broker, job, more));
        var modelId = $"rest-first-{Guid.NewGuid():N}"[..24];
        var registered = await TrainingSystem(broker).PostJsonAsync($"/models/{modelId}/versions", new JsonObject
        {
            ["version"] = "1.0",
            ["digest"] = ModelDigest,
            ["jobId"] = job.ToString(),
            ["trainedOn"] = new JsonArray(new JsonObject { ["datasetId"] = dataset.ToString(), ["version"] = 1 }),
        });
        registered.StatusCode.ShouldBe(HttpStatusCode.Created);
        var runEvents = await CountEventsAsync(broker, "training_run_event_recorded");

        var completed = await ReportAsync(broker, RunEvent("COMPLETE", Guid.NewGuid(), job, [Input(dataset), Input(more)], [ModelOutput(modelId, "1.0")]));

        // Acknowledged as the recorded version, the second dataset would never reach its upstream: not flagged on withdrawal.
        completed.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity, await completed.Content.ReadAsStringAsync());
        (await DatasetApi.ReadJsonAsync(completed))["errors"]!.AsObject().ContainsKey("/outputs/0/name").ShouldBeTrue();
        (await CountEventsAsync(broker, "training_run_event_recorded")).ShouldBe(runEvents);
        await ReportOkAsync(broker, RunEvent("COMPLETE", Guid.NewGuid(), job, [Input(dataset)], [ModelOutput(modelId, "1.0")]));
    }
}
