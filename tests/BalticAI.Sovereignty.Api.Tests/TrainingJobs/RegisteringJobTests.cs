using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Platform.ProblemAndOpenApiTests;

namespace BalticAI.Sovereignty.Api.Tests.TrainingJobs;

public sealed class RegisteringJobTests(BrokerFactory broker) : IClassFixture<BrokerFactory>
{
    private HttpClient TrainingSystem => broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem);

    /// <summary>The transfer rule reads the recipient's country as a fact, as it reads a site's, so it is one the broker knows.</summary>
    [Fact]
    public async Task A_recipient_in_no_known_country_is_422_and_not_recorded()
    {
        var site = await RegisterSiteAsync(broker, $"pl-job-{Guid.NewGuid():N}"[..20], "PL");
        var job = Job(site, commercial: false);
        job["recipient"] = new JsonObject { ["country"] = "ZZ" };
        var before = await CountEventsAsync(broker, "training_job_registered");

        var unknown = await TrainingSystem.PostJsonAsync("/training-jobs", job);
        job["recipient"] = new JsonObject { ["country"] = "US", ["dpfCertified"] = true };
        var known = await TrainingSystem.PostJsonAsync("/training-jobs", job);

        var problem = await ShouldBeProblemAsync(unknown, HttpStatusCode.UnprocessableEntity);
        problem["errors"]!.AsObject().Select(e => e.Key).ShouldBe(["/recipient/country"]);
        known.StatusCode.ShouldBe(HttpStatusCode.Created, await known.Content.ReadAsStringAsync());
        (await CountEventsAsync(broker, "training_job_registered")).ShouldBe(before + 1);
    }

    /// <summary>
    /// A company's training system naming a research organisation as operator would take the research
    /// organisation's DSM Art. 3 route past a TDM reservation: only operators that delegated to it count.
    /// </summary>
    [Fact]
    public async Task A_training_system_names_only_its_own_organisation_or_one_that_delegated_its_jobs_to_it()
    {
        var site = await RegisterSiteAsync(broker, $"pl-job-{Guid.NewGuid():N}"[..20], "PL");
        var before = await CountEventsAsync(broker, "training_job_registered");

        var company = await broker.ClientFor(TestTenants.PlPublisher, Roles.TrainingSystem).PostJsonAsync("/training-jobs", Job(site, commercial: true));
        var delegated = await broker.ClientFor(TestTenants.PlSpeakLeash, Roles.TrainingSystem).PostJsonAsync("/training-jobs", Job(site, commercial: false));
        var own = await TrainingSystem.PostJsonAsync("/training-jobs", Job(site, commercial: false));

        var problem = await ShouldBeProblemAsync(company, HttpStatusCode.Forbidden);
        problem["detail"]!.GetValue<string>().ShouldContain("'pl-cyfronet' has not delegated its training jobs to 'pl-wp'");
        delegated.StatusCode.ShouldBe(HttpStatusCode.Created, await delegated.Content.ReadAsStringAsync());
        (await DatasetApi.ReadJsonAsync(delegated))["trainingSystem"]!.GetValue<string>().ShouldBe("pl-speakleash");
        own.StatusCode.ShouldBe(HttpStatusCode.Created, await own.Content.ReadAsStringAsync());
        (await CountEventsAsync(broker, "training_job_registered")).ShouldBe(before + 2);
    }

    /// <summary>Beyond the days time.parse_rfc3339_ns reads, every decision on data with expiring terms was denied as "planned end unreadable".</summary>
    [Theory]
    [InlineData("2026-01-01", "9999-12-31", "/plannedEnd")]
    [InlineData("2026-01-01", "2262-04-11", "/plannedEnd")]
    [InlineData("0001-01-01", "2030-12-31", "/plannedStart")]
    public async Task A_planned_day_the_policies_cannot_compare_is_422_naming_it_and_not_recorded(string start, string end, string pointer)
    {
        var job = Job(await RegisterSiteAsync(broker, $"pl-job-{Guid.NewGuid():N}"[..20], "PL"), commercial: false);
        job["plannedStart"] = start;
        job["plannedEnd"] = end;
        var before = await CountEventsAsync(broker, "training_job_registered");

        var response = await TrainingSystem.PostJsonAsync("/training-jobs", job);

        var problem = await ShouldBeProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        problem["errors"]!.AsObject().Select(e => e.Key).ShouldBe([pointer]);
        (await CountEventsAsync(broker, "training_job_registered")).ShouldBe(before);
    }

    [Fact]
    public async Task The_last_day_the_policies_can_compare_is_a_planned_end()
    {
        var job = Job(await RegisterSiteAsync(broker, $"pl-job-{Guid.NewGuid():N}"[..20], "PL"), commercial: false);
        job["plannedEnd"] = "2262-04-10";

        var response = await TrainingSystem.PostJsonAsync("/training-jobs", job);

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }
}
