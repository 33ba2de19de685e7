using System.Net;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Platform.ProblemAndOpenApiTests;

namespace BalticAI.Sovereignty.Api.Tests.Sites;

/// <summary>`GET /sites?country=&amp;status=`: a country code, as sites record it, and whether the sites take data.</summary>
public sealed class ListingSitesTests(BrokerFactory broker) : IClassFixture<BrokerFactory>
{
    private HttpClient Auditor => broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor);

    /// <summary>A NUL reached PostgreSQL, which refused it, and the caller was told the database could not answer (503).</summary>
    [Theory]
    [InlineData("%00")]
    [InlineData("P%00")]
    [InlineData("POL")]
    public async Task A_country_that_is_no_two_letter_code_is_400_naming_it(string country)
    {
        var response = await Auditor.GetAsync($"/sites?country={country}");

        var problem = await ShouldBeProblemAsync(response, HttpStatusCode.BadRequest);
        problem["errors"]!.AsObject().Select(e => e.Key).ShouldBe(["country"]);
    }

    [Theory]
    [InlineData("Suspended")]
    [InlineData("closed")]
    public async Task A_status_that_is_not_active_or_suspended_is_400_naming_it(string status)
    {
        var response = await Auditor.GetAsync($"/sites?status={status}");

        var problem = await ShouldBeProblemAsync(response, HttpStatusCode.BadRequest);
        problem["errors"]!.AsObject().Select(e => e.Key).ShouldBe(["status"]);
    }

    [Fact]
    public async Task Suspended_sites_are_listed_apart_from_those_that_take_data()
    {
        var (suspended, active) = (await RegisterSiteAsync(broker, $"lt-sus-{Guid.NewGuid():N}"[..20], "LT"), await RegisterSiteAsync(broker, $"lt-act-{Guid.NewGuid():N}"[..20], "LT"));
        (await broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin).SendAsync(HttpMethod.Post, $"/sites/{suspended}/suspension", """{"reason": "decommissioned"}""", "\"1\""))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        var onlySuspended = await IdsAsync("/sites?status=suspended&country=LT");
        var onlyActive = await IdsAsync("/sites?status=active&country=LT");

        onlySuspended.ShouldContain(suspended);
        onlySuspended.ShouldNotContain(active);
        onlyActive.ShouldContain(active);
        onlyActive.ShouldNotContain(suspended);
        (await IdsAsync("/sites?country=LT")).ShouldContain(suspended);
    }

    [Fact]
    public async Task A_suspensions_note_is_read_by_policy_admins_and_auditors_only()
    {
        var site = await RegisterSiteAsync(broker, $"lt-note-{Guid.NewGuid():N}"[..20], "LT");
        (await broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin).SendAsync(HttpMethod.Post, $"/sites/{site}/suspension",
            """{"reason": "security-incident", "note": "operator credentials leaked"}""", "\"1\"")).StatusCode.ShouldBe(HttpStatusCode.OK);

        foreach (var (tenant, role, note) in new[]
        {
            (TestTenants.EuAiOffice, Roles.PolicyAdmin, "operator credentials leaked"),
            (TestTenants.EuAiOffice, Roles.Auditor, "operator credentials leaked"),
            (TestTenants.PlCyfronet, Roles.TrainingSystem, null),
            (TestTenants.PlMinistry, Roles.DataOwner, null),
        })
        {
            var client = broker.ClientFor(tenant, role);
            var one = (await DatasetApi.ReadJsonAsync(await client.GetAsync($"/sites/{site}")))["suspension"]!;
            var listed = (await DatasetApi.ReadJsonAsync(await client.GetAsync("/sites?status=suspended&country=LT"))).AsArray()
                .Single(s => s!["id"]!.GetValue<Guid>() == site)!["suspension"]!;
            foreach (var suspension in new[] { one, listed })
            {
                suspension["reason"]!.GetValue<string>().ShouldBe("security-incident", role);
                suspension["note"]?.GetValue<string>().ShouldBe(note, role);
                (suspension["note"] is null).ShouldBe(note is null, role);
            }
        }
    }

    private async Task<List<Guid>> IdsAsync(string path)
    {
        var response = await Auditor.GetAsync(path);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return [.. (await DatasetApi.ReadJsonAsync(response)).AsArray().Select(s => s!["id"]!.GetValue<Guid>())];
    }

    [Fact]
    public async Task A_country_in_lower_case_lists_that_countrys_sites()
    {
        var site = await RegisterSiteAsync(broker, $"lv-list-{Guid.NewGuid():N}"[..20], "LV");

        var response = await Auditor.GetAsync("/sites?country=lv");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await DatasetApi.ReadJsonAsync(response)).AsArray().Select(s => s!["id"]!.GetValue<string>()).ShouldContain(site.ToString());
    }
}
