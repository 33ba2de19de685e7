using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Security;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Platform.ProblemAndOpenApiTests;

namespace BalticAI.Sovereignty.Api.Tests.TrainingJobs;

/// <summary>
/// Filters, cursor pages and who sees what. Other tests register jobs in the same database at the same time, so every
/// exact list is of one site this test registered.
/// </summary>
public sealed class ListingJobsTests(BrokerFactory broker) : IClassFixture<BrokerFactory>
{
    /// <summary>
    /// A fresh Polish site with, in this order, two jobs of pl-cyfronet, one of pl-speakleash, one of pl-cyfronet
    /// sending its model to Latvia and one of lt-rc.
    /// </summary>
    private async Task<(Guid Site, List<Guid> Jobs)> RegisterJobsAsync()
    {
        var site = await RegisterSiteAsync(broker, $"pl-list-{Guid.NewGuid():N}"[..20], "PL");
        var jobs = new List<Guid>();
        foreach (var tenant in new[] { TestTenants.PlCyfronet, TestTenants.PlCyfronet, TestTenants.PlSpeakLeash })
        {
            jobs.Add(await RegisterJobAsync(broker, site, commercial: false, tenant));
        }
        var toLatvia = Job(site, commercial: false);
        toLatvia["recipient"] = new JsonObject { ["country"] = "LV", ["dpfCertified"] = false };
        var registered = await broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem).PostJsonAsync("/training-jobs", toLatvia);
        registered.StatusCode.ShouldBe(HttpStatusCode.Created, await registered.Content.ReadAsStringAsync());
        jobs.Add((await DatasetApi.ReadJsonAsync(registered))["id"]!.GetValue<Guid>());
        jobs.Add(await RegisterJobAsync(broker, site, commercial: false, TestTenants.LtRegisters));
        return (site, jobs);
    }

    private static async Task<JsonNode> PageAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync("/training-jobs" + query);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await DatasetApi.ReadJsonAsync(response);
    }

    private static async Task<List<Guid>> IdsAsync(HttpClient client, string query) =>
        (await PageAsync(client, query))["items"]!.AsArray().Select(i => Guid.Parse(i!["id"]!.GetValue<string>())).ToList();

    [Fact]
    public async Task Filters_by_site_and_training_system_return_exactly_those_jobs_in_registration_order()
    {
        var (site, jobs) = await RegisterJobsAsync();
        var auditor = broker.ClientFor(TestTenants.PlCyfronet, Roles.Auditor);

        (await IdsAsync(auditor, $"?siteId={site}")).ShouldBe(jobs);
        (await IdsAsync(auditor, $"?siteId={site}&trainingSystem=pl-cyfronet")).ShouldBe([jobs[0], jobs[1], jobs[3]]);
        (await IdsAsync(auditor, $"?siteId={site}&trainingSystem=lt-rc")).ShouldBe([jobs[4]]);
        (await IdsAsync(auditor, $"?siteId={site}&country=pl")).ShouldBe(jobs);
        (await IdsAsync(auditor, $"?siteId={site}&country=LV")).ShouldBe([jobs[3]]);
        (await IdsAsync(auditor, $"?siteId={site}&country=EE")).ShouldBeEmpty();
        (await IdsAsync(auditor, $"?siteId={Guid.NewGuid()}")).ShouldBeEmpty();
    }

    [Fact]
    public async Task The_status_filter_separates_open_jobs_from_closed_ones_and_a_summary_says_how_one_ended()
    {
        var (site, jobs) = await RegisterJobsAsync();
        var closed = await broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem)
            .PostJsonAsync($"/training-jobs/{jobs[1]}/closure", new JsonObject { ["outcome"] = "completed" });
        closed.StatusCode.ShouldBe(HttpStatusCode.OK, await closed.Content.ReadAsStringAsync());
        var auditor = broker.ClientFor(TestTenants.PlCyfronet, Roles.Auditor);

        (await IdsAsync(auditor, $"?siteId={site}&status=open")).ShouldBe([jobs[0], jobs[2], jobs[3], jobs[4]]);
        (await IdsAsync(auditor, $"?siteId={site}&status=closed")).ShouldBe([jobs[1]]);
        var items = (await PageAsync(auditor, $"?siteId={site}"))["items"]!.AsArray();
        items[1]!["closure"]!["outcome"]!.GetValue<string>().ShouldBe("completed");
        items[0]!["closure"].ShouldBeNull();
    }

    [Fact]
    public async Task A_summary_carries_the_jobs_facts()
    {
        var (site, jobs) = await RegisterJobsAsync();

        var item = (await PageAsync(broker.ClientFor(TestTenants.LtRegisters, Roles.TrainingSystem), $"?siteId={site}&trainingSystem=lt-rc"))["items"]![0]!;

        item["id"]!.GetValue<Guid>().ShouldBe(jobs[4]);
        item["trainingSystem"]!.GetValue<string>().ShouldBe("lt-rc");
        item["operator"]!.GetValue<string>().ShouldBe("pl-cyfronet");
        item["operatorCountry"]!.GetValue<string>().ShouldBe("PL");
        item["purpose"]!.GetValue<string>().ShouldBe("research");
        item["commercial"]!.GetValue<bool>().ShouldBeFalse();
        item["siteId"]!.GetValue<Guid>().ShouldBe(site);
        item["siteCountry"]!.GetValue<string>().ShouldBe("PL");
        item["model"]!["name"]!.GetValue<string>().ShouldBe("bielik-test");
        item["recipientCountry"].ShouldBeNull();
        (await PageAsync(broker.ClientFor(TestTenants.PlCyfronet, Roles.Auditor), $"?siteId={site}&country=LV"))["items"]![0]!["recipientCountry"]!
            .GetValue<string>().ShouldBe("LV");
        item["plannedStart"]!.GetValue<string>().ShouldBe("2026-01-01");
        item["plannedEnd"]!.GetValue<string>().ShouldBe("2030-12-31");
        item["revokedGrants"]!.GetValue<int>().ShouldBe(0);
    }

    [Fact]
    public async Task Cursor_pages_of_two_return_each_job_once_and_end_with_no_next()
    {
        var (site, jobs) = await RegisterJobsAsync();
        var client = broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem);
        var seen = new List<Guid>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await PageAsync(client, $"?siteId={site}&limit=2" + (cursor is null ? "" : "&cursor=" + cursor));
            seen.AddRange(page["items"]!.AsArray().Select(i => Guid.Parse(i!["id"]!.GetValue<string>())));
            cursor = page["next"]?.GetValue<string>();
            pages++;
        }
        while (cursor is not null && pages < 10);

        pages.ShouldBe(3);
        seen.ShouldBe(jobs);
    }

    [Fact]
    public async Task A_national_regulator_lists_the_jobs_it_may_read_and_no_other()
    {
        var (site, jobs) = await RegisterJobsAsync();

        (await IdsAsync(broker.ClientFor(TestTenants.EeAki, Roles.Regulator), $"?siteId={site}")).ShouldBeEmpty();
        (await IdsAsync(broker.ClientFor(TestTenants.PlUodo, Roles.Regulator), $"?siteId={site}")).ShouldBe(jobs);
        // Registered by a Lithuanian training system: its registration reached the Lithuanian feed.
        (await IdsAsync(broker.ClientFor(TestTenants.LtVdai, Roles.Regulator), $"?siteId={site}")).ShouldBe([jobs[4]]);
        (await IdsAsync(broker.ClientFor(TestTenants.LtVdai, Roles.Regulator, Roles.Auditor), $"?siteId={site}")).ShouldBe(jobs);
        (await IdsAsync(broker.ClientFor(TestTenants.LvDvi, Roles.Regulator), $"?siteId={site}")).ShouldBe([jobs[3]]);
        (await IdsAsync(broker.ClientFor(TestTenants.EuAiOffice, Roles.Regulator), $"?siteId={site}")).ShouldBe(jobs);
    }

    [Theory]
    [InlineData("?limit=0")]
    [InlineData("?limit=101")]
    [InlineData("?limit=two")]
    [InlineData("?cursor=not-a-cursor")]
    [InlineData("?country=POL")]
    [InlineData("?siteId=not-a-site")]
    [InlineData("?trainingSystem=")]
    [InlineData("?trainingSystem=pl%00cyfronet")]
    [InlineData("?siteId=%00")]
    [InlineData("?country=%00")]
    [InlineData("?cursor=%00")]
    [InlineData("?status=ended")]
    [InlineData("?status=Open")]
    public async Task Bad_query_values_are_400(string query)
    {
        var response = await broker.ClientFor(TestTenants.PlCyfronet, Roles.Auditor).GetAsync("/training-jobs" + query);

        await ShouldBeProblemAsync(response, HttpStatusCode.BadRequest);
    }

    /// <summary>Well formed but past the last instant a DateTimeOffset holds: refused, not an outage.</summary>
    [Fact]
    public async Task A_cursor_beyond_the_last_instant_is_400()
    {
        var cursor = Base64Url.Encode(Encoding.UTF8.GetBytes("v1|9999999999999999999:" + Guid.NewGuid().ToString("N")));

        var response = await broker.ClientFor(TestTenants.PlCyfronet, Roles.Auditor).GetAsync("/training-jobs?cursor=" + cursor);

        await ShouldBeProblemAsync(response, HttpStatusCode.BadRequest);
    }
}
