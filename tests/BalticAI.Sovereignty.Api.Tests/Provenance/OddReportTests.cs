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
}
