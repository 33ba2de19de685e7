using System.Net;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Api.Tests.Ledger;
using static BalticAI.Sovereignty.Api.Tests.Ledger.LedgerEventsApi;
using static BalticAI.Sovereignty.Api.Tests.Platform.ProblemAndOpenApiTests;

namespace BalticAI.Sovereignty.Api.Tests.TrainingJobs;

/// <summary>
/// A Lithuanian job that asked for Polish data concerns Poland from that decision on: the Polish regulator, whose feed
/// carried the decision, reads the job, lists it and sees the job's decisions that concern Poland; Estonia's sees none of it.
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class ReadingForeignDataJobTests(BrokerFactory broker) : IClassFixture<BrokerFactory>
{
    [Fact]
    public async Task The_regulator_of_the_datas_country_reads_the_job_once_it_asked_for_that_data()
    {
        var (site, job) = await ForeignDataJob.RegisterAsync(broker);
        var polishRegulator = broker.ClientFor(TestTenants.PlUodo, Roles.Regulator);
        var before = await polishRegulator.GetAsync($"/training-jobs/{job}");

        var polish = await ForeignDataJob.GrantPolishAndLithuanianDataAsync(broker, job, "foreign-data-polish");
        var read = await polishRegulator.GetAsync($"/training-jobs/{job}");
        var decisions = Items(await PageAsync(polishRegulator, "", $"/training-jobs/{job}/decisions"));
        var lithuanianDecisions = Items(await PageAsync(broker.ClientFor(TestTenants.LtVdai, Roles.Regulator), "", $"/training-jobs/{job}/decisions"));
        var listed = await ListedAsync(polishRegulator, site);

        await ShouldBeProblemAsync(before, HttpStatusCode.NotFound);
        read.StatusCode.ShouldBe(HttpStatusCode.OK, await read.Content.ReadAsStringAsync());
        var body = await DatasetApi.ReadJsonAsync(read);
        body["id"]!.GetValue<Guid>().ShouldBe(job);
        body["purpose"]!.GetValue<string>().ShouldBe("research");
        body["commercial"]!.GetValue<bool>().ShouldBeFalse();
        body["siteCountry"]!.GetValue<string>().ShouldBe("LT");
        decisions.Select(Type).ShouldBe(["access_decided", "grant_issued"]);
        decisions.ShouldAllBe(i => i["data"]!["datasetId"]!.GetValue<Guid>() == polish);
        lithuanianDecisions.Select(Type).ShouldBe(["access_decided", "grant_issued", "access_decided", "grant_issued"]);
        listed.ShouldBe([job]);
    }

    /// <summary>Its refused reads of the job are recorded in the ledger before the grants; they name no job, so they change nothing.</summary>
    [Fact]
    public async Task The_regulator_of_a_country_no_event_of_the_job_concerns_gets_404_and_an_empty_list()
    {
        var (site, job) = await ForeignDataJob.RegisterAsync(broker);
        var estonianRegulator = broker.ClientFor(TestTenants.EeAki, Roles.Regulator);
        await ShouldBeProblemAsync(await estonianRegulator.GetAsync($"/training-jobs/{job}"), HttpStatusCode.NotFound);

        await ForeignDataJob.GrantPolishAndLithuanianDataAsync(broker, job, "foreign-data-estonian");
        var read = await estonianRegulator.GetAsync($"/training-jobs/{job}");
        var decisions = await estonianRegulator.GetAsync($"/training-jobs/{job}/decisions");
        var listed = await ListedAsync(estonianRegulator, site);

        await ShouldBeProblemAsync(read, HttpStatusCode.NotFound);
        await ShouldBeProblemAsync(decisions, HttpStatusCode.NotFound);
        listed.ShouldBeEmpty();
    }

    /// <summary>An auditor's `country` filter reads "concerns" as that country's regulator does, so the two lists agree.</summary>
    [Fact]
    public async Task An_auditors_country_filter_lists_the_job_once_it_asked_for_that_countrys_data()
    {
        var (site, job) = await ForeignDataJob.RegisterAsync(broker);
        var auditor = broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor);
        var polishBefore = await ListedAsync(auditor, site, "&country=PL");

        await ForeignDataJob.GrantPolishAndLithuanianDataAsync(broker, job, "foreign-data-country-filter");

        polishBefore.ShouldBeEmpty();
        (await ListedAsync(auditor, site, "&country=pl")).ShouldBe([job]);
        (await ListedAsync(auditor, site, "&country=LT")).ShouldBe([job]);
        (await ListedAsync(auditor, site, "&country=EE")).ShouldBeEmpty();
    }

    private static async Task<List<Guid>> ListedAsync(HttpClient client, Guid site, string filter = "")
    {
        var response = await client.GetAsync($"/training-jobs?siteId={site}{filter}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await DatasetApi.ReadJsonAsync(response))["items"]!.AsArray().Select(i => i!["id"]!.GetValue<Guid>()).ToList();
    }
}
