using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Platform.ProblemAndOpenApiTests;

namespace BalticAI.Sovereignty.Api.Tests.TrainingJobs;

/// <summary>Only a caller who is nothing but a national Regulator is kept to its own country's jobs, as with datasets.</summary>
public sealed class GettingJobTests(BrokerFactory broker) : IClassFixture<BrokerFactory>
{
    [Fact]
    public async Task A_regulator_who_is_also_an_auditor_reads_another_countrys_job_and_a_regulator_alone_does_not()
    {
        var job = await RegisterJobAsync(broker, await RegisterSiteAsync(broker, $"pl-get-{Guid.NewGuid():N}"[..20], "PL"), commercial: false);

        var auditingRegulator = await broker.ClientFor(TestTenants.LtVdai, Roles.Regulator, Roles.Auditor).GetAsync($"/training-jobs/{job}");
        var regulator = await broker.ClientFor(TestTenants.LtVdai, Roles.Regulator).GetAsync($"/training-jobs/{job}");

        auditingRegulator.StatusCode.ShouldBe(HttpStatusCode.OK, await auditingRegulator.Content.ReadAsStringAsync());
        await ShouldBeProblemAsync(regulator, HttpStatusCode.NotFound);
    }

    /// <summary>The job's registration reaches the feed of its training system's country (an organisation of that country acts).</summary>
    [Fact]
    public async Task The_regulator_of_the_training_systems_country_reads_its_job()
    {
        var site = await RegisterSiteAsync(broker, $"pl-get-{Guid.NewGuid():N}"[..20], "PL");
        var job = await RegisterJobAsync(broker, site, commercial: false, TestTenants.LtRegisters);

        var lithuanian = await broker.ClientFor(TestTenants.LtVdai, Roles.Regulator).GetAsync($"/training-jobs/{job}");
        var estonian = await broker.ClientFor(TestTenants.EeAki, Roles.Regulator).GetAsync($"/training-jobs/{job}");

        lithuanian.StatusCode.ShouldBe(HttpStatusCode.OK, await lithuanian.Content.ReadAsStringAsync());
        await ShouldBeProblemAsync(estonian, HttpStatusCode.NotFound);
    }

    /// <summary>The job's registration reaches the feed of the country its trained weights go to: that regulator reads it too.</summary>
    [Fact]
    public async Task The_regulator_of_the_recipients_country_reads_its_job()
    {
        var job = Job(await RegisterSiteAsync(broker, $"pl-get-{Guid.NewGuid():N}"[..20], "PL"), commercial: false);
        job["recipient"] = new JsonObject { ["country"] = "LT" };
        var registered = await broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem).PostJsonAsync("/training-jobs", job);
        var id = (await DatasetApi.ReadJsonAsync(registered))["id"]!.GetValue<string>();

        var lithuanian = await broker.ClientFor(TestTenants.LtVdai, Roles.Regulator).GetAsync($"/training-jobs/{id}");
        var estonian = await broker.ClientFor(TestTenants.EeAki, Roles.Regulator).GetAsync($"/training-jobs/{id}");

        lithuanian.StatusCode.ShouldBe(HttpStatusCode.OK, await lithuanian.Content.ReadAsStringAsync());
        await ShouldBeProblemAsync(estonian, HttpStatusCode.NotFound);
    }
}
