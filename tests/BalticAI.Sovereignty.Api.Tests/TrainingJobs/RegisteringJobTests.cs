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
}
