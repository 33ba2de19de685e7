using System.Net;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Platform.ProblemAndOpenApiTests;

namespace BalticAI.Sovereignty.Api.Tests.Sites;

/// <summary>`GET /sites?country=`: a country code, as sites record it.</summary>
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

    [Fact]
    public async Task A_country_in_lower_case_lists_that_countrys_sites()
    {
        var site = await RegisterSiteAsync(broker, $"lv-list-{Guid.NewGuid():N}"[..20], "LV");

        var response = await Auditor.GetAsync("/sites?country=lv");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await DatasetApi.ReadJsonAsync(response)).AsArray().Select(s => s!["id"]!.GetValue<string>()).ShouldContain(site.ToString());
    }
}
