using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Decisions;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.AmendedGrants;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;

namespace BalticAI.Sovereignty.Api.Tests.Sites;

/// <summary>
/// A suspended site receives no data: its grants are revoked, its jobs' requests and the releases under its grants
/// refused from the suspension's commit (also before the revoker has caught up), and no job is registered there, until
/// the suspension is lifted; other sites go on.
/// </summary>
public sealed class SuspendingSiteTests(BrokerFactory broker) : IClassFixture<BrokerFactory>, IAsyncLifetime
{
    private const string Incident = """{"reason": "security-incident", "note": "operator credentials leaked"}""";

    public Task InitializeAsync() => ActivateAsync(broker, Bundle("suspension-1"));

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_suspended_site_loses_its_grants_and_takes_no_data_until_the_suspension_is_lifted()
    {
        var site = await RegisterSiteAsync(broker, Code(), "PL");
        var job = await RegisterJobAsync(broker, site, commercial: false);
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);
        var grant = GrantTokens.Remember((await AskForOneAsync(broker, job, dataset))["grant"]!);
        var elsewhere = GrantTokens.Remember((await AskForOneAsync(broker, await RegisterJobAsync(broker, await RegisterSiteAsync(broker, Code(), "PL"), commercial: false), dataset))["grant"]!);

        var suspended = await Admin().SendAsync(HttpMethod.Post, $"/sites/{site}/suspension", Incident, "\"1\"");

        var answer = await DatasetApi.ReadJsonAsync(suspended);
        suspended.StatusCode.ShouldBe(HttpStatusCode.OK, answer.ToJsonString());
        suspended.Headers.ETag!.ToString().ShouldBe("\"2\"");
        answer["suspension"]!["reason"]!.GetValue<string>().ShouldBe("security-incident");
        var auditor = broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor);
        (await UntilRevokedAsync(auditor, grant))["revocationReason"]!.GetValue<string>().ShouldBe("site-suspended:security-incident");
        (await RedeemAsync(broker, grant)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var decisions = await CountEventsAsync(broker, "access_decided");
        var asked = await broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem).PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)));
        asked.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await DatasetApi.ReadJsonAsync(asked))["title"]!.GetValue<string>().ShouldBe("The job's site is suspended");
        (await CountEventsAsync(broker, "access_decided")).ShouldBe(decisions);
        var registered = await broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem).PostJsonAsync("/training-jobs", Job(site, commercial: false));
        registered.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await registered.Content.ReadAsStringAsync()).ShouldContain("is suspended (security-incident)");
        (await RedeemAsync(broker, elsewhere)).StatusCode.ShouldBe(HttpStatusCode.Created);

        var lifted = await Admin().SendAsync(HttpMethod.Post, $"/sites/{site}/suspension/lifting", "", "\"2\"");

        lifted.StatusCode.ShouldBe(HttpStatusCode.OK, await lifted.Content.ReadAsStringAsync());
        (await DatasetApi.ReadJsonAsync(lifted))["suspension"].ShouldBeNull();
        (await AskForOneAsync(broker, job, dataset))["allowed"]!.GetValue<bool>().ShouldBeTrue();
        (await DatasetApi.ReadJsonAsync(await auditor.GetAsync($"/grants/{grant}")))["status"]!.GetValue<string>().ShouldBe("revoked");
    }

    [Fact]
    public async Task Releases_are_refused_from_the_suspensions_commit_before_the_revoker_records_anything()
    {
        var site = await RegisterSiteAsync(broker, Code(), "PL");
        var job = await RegisterJobAsync(broker, site, commercial: false);
        var grant = GrantTokens.Remember((await AskForOneAsync(broker, job, await RegisterDatasetAsync(broker, researchOnly: false)))["grant"]!);

        var release = await WhileTheRevokerIsStoppedAsync(broker, async () =>
        {
            (await Admin().SendAsync(HttpMethod.Post, $"/sites/{site}/suspension", """{"reason": "regulator-order"}""", "\"1\"")).StatusCode.ShouldBe(HttpStatusCode.OK);
            return await RedeemAsync(broker, grant);
        });

        release.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await DatasetApi.ReadJsonAsync(release))["detail"]!.GetValue<string>().ShouldContain($"site {site} is suspended (regulator-order)");
        (await UntilRevokedAsync(broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor), grant))["revocationReason"]!.GetValue<string>().ShouldBe("site-suspended:regulator-order");
    }

    [Fact]
    public async Task A_suspension_without_If_Match_stale_twice_by_another_role_or_a_lifting_of_a_site_not_suspended_records_nothing()
    {
        var site = await RegisterSiteAsync(broker, Code(), "PL");
        var lifting = await Admin().SendAsync(HttpMethod.Post, $"/sites/{site}/suspension/lifting", "", "\"1\"");
        var unconditional = await Admin().PostJsonAsync($"/sites/{site}/suspension", JsonNode.Parse(Incident)!);
        var stale = await Admin().SendAsync(HttpMethod.Post, $"/sites/{site}/suspension", Incident, "\"7\"");
        var unlisted = await Admin().SendAsync(HttpMethod.Post, $"/sites/{site}/suspension", """{"reason": "maintenance"}""", "\"1\"");
        var unknown = await Admin().SendAsync(HttpMethod.Post, $"/sites/{Guid.NewGuid()}/suspension", Incident, "\"1\"");
        var recorded = await CountEventsAsync(broker, "compute_site_suspended");

        lifting.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        unconditional.StatusCode.ShouldBe(HttpStatusCode.PreconditionRequired);
        stale.StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);
        stale.Headers.ETag!.ToString().ShouldBe("\"1\"");
        unlisted.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Admin().SendAsync(HttpMethod.Post, $"/sites/{site}/suspension", Incident, "\"1\"")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var again = await Admin().SendAsync(HttpMethod.Post, $"/sites/{site}/suspension", Incident, "\"2\"");
        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await CountEventsAsync(broker, "compute_site_suspended")).ShouldBe(recorded + 1);
    }

    private HttpClient Admin() => broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin);

    private static string Code() => $"pl-sus-{Guid.NewGuid():N}"[..20];
}
