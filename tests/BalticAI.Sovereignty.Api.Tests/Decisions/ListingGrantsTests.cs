using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Platform.ProblemAndOpenApiTests;

namespace BalticAI.Sovereignty.Api.Tests.Decisions;

/// <summary>
/// `GET /grants`: the grants as they stand, each caller seeing those it acts on. One site holds three grants: pl-cyfronet's
/// job on a dataset of pl-mc and one of pl-speakleash, and lt-rc's job on pl-mc's.
/// </summary>
public sealed class ListingGrantsTests(ShiftableClockBroker broker) : IClassFixture<ShiftableClockBroker>
{
    private sealed record World(Guid Site, Guid CyfronetJob, Guid LithuanianJob, Guid MinistryDataset, Guid SpeakLeashDataset,
        string CyfronetOnMinistry, string CyfronetOnSpeakLeash, string LithuanianOnMinistry);

    [Fact]
    public async Task A_training_system_lists_its_own_grants_and_a_data_owner_those_on_its_datasets()
    {
        var world = await WorldAsync();

        (await ListAsync(TestTenants.PlCyfronet, Roles.TrainingSystem, $"siteId={world.Site}"))
            .ShouldBe([world.CyfronetOnMinistry, world.CyfronetOnSpeakLeash]);
        (await ListAsync(TestTenants.PlCyfronet, Roles.TrainingSystem, $"jobId={world.LithuanianJob}")).ShouldBeEmpty();
        (await ListAsync(TestTenants.LtRegisters, Roles.TrainingSystem, $"siteId={world.Site}")).ShouldBe([world.LithuanianOnMinistry]);
        (await ListAsync(TestTenants.PlMinistry, Roles.DataOwner, $"siteId={world.Site}"))
            .ShouldBe([world.CyfronetOnMinistry, world.LithuanianOnMinistry]);
        (await ListAsync(TestTenants.PlSpeakLeash, Roles.DataOwner, $"siteId={world.Site}")).ShouldBe([world.CyfronetOnSpeakLeash]);
        (await ListAsync(TestTenants.PlPublisher, Roles.DataOwner, $"siteId={world.Site}")).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_national_regulator_lists_the_grants_concerning_its_country_and_auditors_and_data_planes_all()
    {
        var world = await WorldAsync();
        string[] all = [world.CyfronetOnMinistry, world.CyfronetOnSpeakLeash, world.LithuanianOnMinistry];

        (await ListAsync(TestTenants.LtVdai, Roles.Regulator, $"siteId={world.Site}")).ShouldBe([world.LithuanianOnMinistry]);
        (await ListAsync(TestTenants.PlUodo, Roles.Regulator, $"siteId={world.Site}")).ShouldBe(all);
        (await ListAsync(TestTenants.EuAiOffice, Roles.Regulator, $"siteId={world.Site}")).ShouldBe(all);
        (await ListAsync(TestTenants.EuAiOffice, Roles.Auditor, $"siteId={world.Site}")).ShouldBe(all);
        (await ListAsync(TestTenants.PlCyfronet, Roles.DataPlane, $"siteId={world.Site}")).ShouldBe(all);
    }

    [Fact]
    public async Task The_filters_narrow_the_list_and_each_item_reads_as_the_grant_does()
    {
        var world = await WorldAsync();
        var auditor = broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor);

        (await ListAsync(TestTenants.EuAiOffice, Roles.Auditor, $"datasetId={world.MinistryDataset}"))
            .ShouldBe([world.CyfronetOnMinistry, world.LithuanianOnMinistry]);
        (await ListAsync(TestTenants.EuAiOffice, Roles.Auditor, $"jobId={world.CyfronetJob}&datasetId={world.SpeakLeashDataset}"))
            .ShouldBe([world.CyfronetOnSpeakLeash]);
        (await ListAsync(TestTenants.EuAiOffice, Roles.Auditor, $"siteId={world.Site}&trainingSystem=lt-rc")).ShouldBe([world.LithuanianOnMinistry]);
        var listed = (await PageAsync(auditor, $"/grants?jobId={world.LithuanianJob}"))["items"]![0]!;
        var read = await DatasetApi.ReadJsonAsync(await auditor.GetAsync($"/grants/{world.LithuanianOnMinistry}"));
        listed.ToJsonString().ShouldBe(read.ToJsonString());
    }

    [Fact]
    public async Task Status_tells_standing_revoked_and_expired_grants_apart()
    {
        var world = await WorldAsync();
        var admin = broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin);
        (await admin.PostJsonAsync($"/grants/{world.CyfronetOnSpeakLeash}/revocation", new JsonObject { ["reason"] = "compromised" }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        var site = $"siteId={world.Site}";

        (await ListAsync(TestTenants.EuAiOffice, Roles.Auditor, $"{site}&status=active")).ShouldBe([world.CyfronetOnMinistry, world.LithuanianOnMinistry]);
        (await ListAsync(TestTenants.EuAiOffice, Roles.Auditor, $"{site}&status=revoked")).ShouldBe([world.CyfronetOnSpeakLeash]);
        (await ListAsync(TestTenants.EuAiOffice, Roles.Auditor, $"{site}&status=expired")).ShouldBeEmpty();
        broker.Clock.Offset = TimeSpan.FromDays(2);
        try
        {
            (await ListAsync(TestTenants.EuAiOffice, Roles.Auditor, $"{site}&status=active")).ShouldBeEmpty();
            (await ListAsync(TestTenants.EuAiOffice, Roles.Auditor, $"{site}&status=expired")).ShouldBe([world.CyfronetOnMinistry, world.LithuanianOnMinistry]);
            (await ListAsync(TestTenants.EuAiOffice, Roles.Auditor, $"{site}&status=revoked")).ShouldBe([world.CyfronetOnSpeakLeash]);
        }
        finally
        {
            broker.Clock.Offset = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task Pages_follow_the_cursor_in_issue_order_without_repeating_or_skipping()
    {
        var world = await WorldAsync();
        var auditor = broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor);
        var seen = new List<string>();
        var url = $"/grants?siteId={world.Site}&limit=2";

        for (var pages = 0; url is not null; pages++)
        {
            pages.ShouldBeLessThan(3);
            var page = await PageAsync(auditor, url);
            seen.AddRange(page["items"]!.AsArray().Select(g => g!["id"]!.GetValue<string>()));
            url = page["next"] is JsonValue next ? $"/grants?siteId={world.Site}&limit=2&cursor={next.GetValue<string>()}" : null;
        }

        seen.ShouldBe([world.CyfronetOnMinistry, world.CyfronetOnSpeakLeash, world.LithuanianOnMinistry]);
    }

    [Fact]
    public async Task A_bad_query_is_400_naming_each_parameter()
    {
        var response = await broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor)
            .GetAsync("/grants?status=standing&datasetId=corpus&jobId=1&siteId=x&trainingSystem=&cursor=abc&limit=101");

        var problem = await ShouldBeProblemAsync(response, HttpStatusCode.BadRequest);
        problem["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal)
            .ShouldBe(["cursor", "datasetId", "jobId", "limit", "siteId", "status", "trainingSystem"]);
    }

    private async Task<World> WorldAsync()
    {
        await ActivateAsync(broker, Bundle($"list-grants-{Guid.NewGuid():N}"));
        var site = await RegisterSiteAsync(broker, $"pl-lg-{Guid.NewGuid():N}"[..20], "PL");
        var cyfronetJob = await RegisterJobAsync(broker, site, commercial: false);
        var lithuanianJob = await RegisterJobAsync(broker, site, commercial: false, TestTenants.LtRegisters, "lt-rc");
        var ministryDataset = await RegisterDatasetAsync(broker, researchOnly: false);
        var speakLeash = broker.ClientFor(TestTenants.PlSpeakLeash, Roles.DataOwner);
        var (speakLeashDataset, etag) = await speakLeash.RegisterAsync(DatasetApi.Terms(title: $"Corpus {Guid.NewGuid():N}"));
        (await speakLeash.PostJsonAsync($"/datasets/{speakLeashDataset}/versions", DatasetApi.Version(), etag)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var first = await GrantIdAsync(cyfronetJob, ministryDataset, TestTenants.PlCyfronet);
        var second = await GrantIdAsync(cyfronetJob, speakLeashDataset, TestTenants.PlCyfronet);
        var third = await GrantIdAsync(lithuanianJob, ministryDataset, TestTenants.LtRegisters);
        return new World(site, cyfronetJob, lithuanianJob, ministryDataset, speakLeashDataset, first, second, third);
    }

    private async Task<string> GrantIdAsync(Guid job, Guid dataset, string trainingSystem) =>
        (await AskForOneAsync(broker, job, dataset, trainingSystem: trainingSystem))["grant"]!["id"]!.GetValue<string>();

    private async Task<List<string>> ListAsync(string tenant, string role, string query) =>
        (await PageAsync(broker.ClientFor(tenant, role), $"/grants?{query}"))["items"]!.AsArray().Select(g => g!["id"]!.GetValue<string>()).ToList();

    private static async Task<JsonNode> PageAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var body = await DatasetApi.ReadJsonAsync(response);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToJsonString());
        return body;
    }
}
