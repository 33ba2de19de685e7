using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Provenance.ProvenanceWorld;

namespace BalticAI.Sovereignty.Api.Tests.Provenance;

public sealed class LineageIngestionTests(BrokerFactory broker) : IClassFixture<BrokerFactory>, IAsyncLifetime
{
    private Guid _site;

    public async Task InitializeAsync()
    {
        await ActivateTestBundleAsync(broker, "provenance-1");
        _site = await RegisterSiteAsync(broker, $"pl-prov-{Guid.NewGuid():N}"[..20], "PL");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_run_covered_by_redeemed_grants_is_recorded_from_start_to_complete()
    {
        var (job, dataset, grant) = await GrantedJobAsync(broker, _site);
        var run = Guid.NewGuid();
        var before = await CountEventsAsync(broker, "training_run_event_recorded");

        var started = await ReportOkAsync(broker, RunEvent("START", run, job, [Input(dataset)]));
        var running = await ReportOkAsync(broker, RunEvent("RUNNING", run, job, [Input(dataset)]));
        var completed = await ReportOkAsync(broker, RunEvent("COMPLETE", run, job, [Input(dataset)], [ModelOutput("bielik-ingest", "1.0")]));

        started["eventType"]!.GetValue<string>().ShouldBe("START");
        running["inputs"]![0]!["grantIds"]![0]!.GetValue<string>().ShouldBe(grant);
        completed["modelVersions"]![0]!["modelId"]!.GetValue<string>().ShouldBe("bielik-ingest");
        (await CountEventsAsync(broker, "training_run_event_recorded")).ShouldBe(before + 3);
    }

    [Fact]
    public async Task An_input_without_a_redeemed_grant_is_refused_with_422_and_recorded_as_a_violation_once()
    {
        var (job, dataset, _) = await GrantedJobAsync(broker, _site);
        var ungranted = await RegisterDatasetAsync(broker, researchOnly: false);
        var report = RunEvent("RUNNING", Guid.NewGuid(), job, [Input(dataset), Input(ungranted)]);
        var before = await CountEventsAsync(broker, "lineage_violation_recorded");
        var runEvents = await CountEventsAsync(broker, "training_run_event_recorded");

        var refused = await ReportAsync(broker, report);
        var again = await ReportAsync(broker, report);

        refused.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var problem = await DatasetApi.ReadJsonAsync(refused);
        problem["errors"]!["/inputs/1"]![0]!.GetValue<string>().ShouldContain("no grant");
        problem["errors"]!.AsObject().ContainsKey("/inputs/0").ShouldBeFalse();
        again.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await DatasetApi.ReadJsonAsync(again))["violationId"]!.GetValue<string>().ShouldBe(problem["violationId"]!.GetValue<string>());
        (await CountEventsAsync(broker, "lineage_violation_recorded")).ShouldBe(before + 1);
        (await CountEventsAsync(broker, "training_run_event_recorded")).ShouldBe(runEvents, "a refused report records no run event");
    }

    [Fact]
    public async Task A_granted_but_unredeemed_input_is_a_violation()
    {
        var job = await RegisterJobAsync(broker, _site, commercial: false);
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);
        await GrantAsync(broker, job, dataset);

        var refused = await ReportAsync(broker, RunEvent("RUNNING", Guid.NewGuid(), job, [Input(dataset)]));

        refused.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await DatasetApi.ReadJsonAsync(refused))["errors"]!["/inputs/0"]![0]!.GetValue<string>().ShouldContain("redeemed");
    }

    [Fact]
    public async Task A_repeated_report_gets_the_same_answer_and_records_nothing_more()
    {
        var (job, dataset, _) = await GrantedJobAsync(broker, _site);
        var report = RunEvent("RUNNING", Guid.NewGuid(), job, [Input(dataset)]);
        var first = await ReportOkAsync(broker, report);
        var count = await CountEventsAsync(broker, "training_run_event_recorded");

        var second = await ReportOkAsync(broker, report);

        second.ToJsonString().ShouldBe(first.ToJsonString());
        (await CountEventsAsync(broker, "training_run_event_recorded")).ShouldBe(count);
    }

    [Theory]
    [InlineData("/job/namespace")]
    [InlineData("/run/runId")]
    [InlineData("/eventType")]
    [InlineData("/inputs/0/facets/version")]
    public async Task A_malformed_report_is_400_naming_the_field(string field)
    {
        var report = RunEvent("START", Guid.NewGuid(), Guid.NewGuid(), [Input(Guid.NewGuid())]);
        switch (field)
        {
            case "/job/namespace": report["job"]!["namespace"] = "airflow://somewhere"; break;
            case "/run/runId": report["run"]!["runId"] = "not-a-uuid"; break;
            case "/eventType": report["eventType"] = "OTHER"; break;
            default: report["inputs"]![0]!["facets"] = new JsonObject(); break;
        }

        var response = await ReportAsync(broker, report);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await DatasetApi.ReadJsonAsync(response))["errors"]!.AsObject().ContainsKey(field).ShouldBeTrue(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Unknown_jobs_and_datasets_are_422_naming_the_field()
    {
        var (job, _, _) = await GrantedJobAsync(broker, _site);

        var unknownJob = await ReportAsync(broker, RunEvent("START", Guid.NewGuid(), Guid.NewGuid(), []));
        var unknownDataset = await ReportAsync(broker, RunEvent("START", Guid.NewGuid(), job, [Input(Guid.NewGuid())]));

        unknownJob.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await DatasetApi.ReadJsonAsync(unknownJob))["errors"]!.AsObject().ContainsKey("/job/name").ShouldBeTrue();
        unknownDataset.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await DatasetApi.ReadJsonAsync(unknownDataset))["errors"]!.AsObject().ContainsKey("/inputs/0/name").ShouldBeTrue();
    }

    [Fact]
    public async Task A_foreign_input_is_422_at_start_and_a_violation_once_the_run_reads()
    {
        var (job, _, _) = await GrantedJobAsync(broker, _site);
        var foreign = new JsonObject { ["namespace"] = "s3://scraped-bucket", ["name"] = "forum-dump" };

        var planned = await ReportAsync(broker, RunEvent("START", Guid.NewGuid(), job, [foreign]));
        var read = await ReportAsync(broker, RunEvent("RUNNING", Guid.NewGuid(), job, [foreign.DeepClone().AsObject()]));

        planned.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var plannedProblem = await DatasetApi.ReadJsonAsync(planned);
        plannedProblem["errors"]!.AsObject().ContainsKey("/inputs/0/namespace").ShouldBeTrue();
        plannedProblem["violationId"].ShouldBeNull();
        read.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await DatasetApi.ReadJsonAsync(read))["violationId"].ShouldNotBeNull();
    }

    [Fact]
    public async Task Only_the_jobs_training_system_may_report_its_runs()
    {
        var (job, dataset, _) = await GrantedJobAsync(broker, _site);

        var response = await broker.ClientFor(TestTenants.PlSpeakLeash, Api.Infrastructure.Identity.Roles.TrainingSystem)
            .PostJsonAsync("/api/v1/lineage", RunEvent("START", Guid.NewGuid(), job, [Input(dataset)]));

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Nothing_follows_a_completed_run()
    {
        var (job, dataset, _) = await GrantedJobAsync(broker, _site);
        var run = Guid.NewGuid();
        await ReportOkAsync(broker, RunEvent("COMPLETE", run, job, [Input(dataset)]));

        var late = await ReportAsync(broker, RunEvent("RUNNING", run, job, [Input(dataset)], at: DateTimeOffset.UtcNow.AddMinutes(1)));

        late.StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_run_of_another_organisations_job_is_refused_without_naming_that_job()
    {
        var (job, dataset, _) = await GrantedJobAsync(broker, _site);
        var run = Guid.NewGuid();
        await ReportOkAsync(broker, RunEvent("START", run, job, [Input(dataset)]));
        var ownJob = await RegisterJobAsync(broker, _site, commercial: false, trainingSystemTenant: TestTenants.PlSpeakLeash);

        var response = await broker.ClientFor(TestTenants.PlSpeakLeash, Api.Infrastructure.Identity.Roles.TrainingSystem)
            .PostJsonAsync("/api/v1/lineage", RunEvent("RUNNING", run, ownJob, []));

        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var body = await response.Content.ReadAsStringAsync();
        (await DatasetApi.ReadJsonAsync(response))["errors"]!.AsObject().ContainsKey("/run/runId").ShouldBeTrue(body);
        body.ShouldNotContain(job.ToString(), Case.Insensitive, "another organisation's job id");
    }
}
