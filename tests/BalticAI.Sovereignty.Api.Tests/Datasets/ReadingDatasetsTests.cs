using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Api.Tests.Platform;

namespace BalticAI.Sovereignty.Api.Tests.Datasets;

/// <summary>List filters, cursor pages, who reads what, and the history. Each class has its own schema, so counts are exact.</summary>
public sealed class ReadingDatasetsTests(ReadingDatasetsTests.SeededBroker broker) : IClassFixture<ReadingDatasetsTests.SeededBroker>, IAsyncLifetime
{
    /// <summary>A broker with eleven datasets of four countries, registered once for the whole class.</summary>
    public sealed class SeededBroker : BrokerFactory
    {
        public Dictionary<string, Guid> Ids { get; } = [];
    }

    private Dictionary<string, Guid> Ids => broker.Ids;

    public async Task InitializeAsync()
    {
        if (Ids.Count > 0)
        {
            return;
        }
        var plOwner = broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner);
        Ids["pl-public"] = (await plOwner.RegisterAsync(DatasetApi.Terms("PL public", "PL", "public"))).Id;
        Ids["pl-crawled"] = (await plOwner.RegisterAsync(DatasetApi.Terms("PL crawled", "PL", "crawled"))).Id;
        var plStoredInLu = DatasetApi.Terms("PL data stored in LU", "PL");
        plStoredInLu["sovereignty"]!["storage"]!["country"] = "LU";
        Ids["pl-lu"] = (await plOwner.RegisterAsync(plStoredInLu)).Id;
        Ids["ee"] = (await broker.ClientFor(TestTenants.EeRia, Roles.DataOwner).RegisterAsync(DatasetApi.Terms("EE public", "EE"))).Id;
        Ids["lt"] = (await broker.ClientFor(TestTenants.LtRegisters, Roles.DataOwner).RegisterAsync(DatasetApi.Terms("LT registers", "LT"))).Id;
        var lvOwner = broker.ClientFor(TestTenants.LvHealth, Roles.DataOwner);
        var (lv, etag) = await lvOwner.RegisterAsync(DatasetApi.Terms("LV health", "LV"));
        Ids["lv"] = lv;
        (await lvOwner.PostJsonAsync($"/datasets/{lv}/restriction", new JsonObject { ["reason"] = "owner-review" }, etag)).StatusCode.ShouldBe(HttpStatusCode.OK);
        for (var i = 0; i < 5; i++)
        {
            await plOwner.RegisterAsync(DatasetApi.Terms($"PL page filler {i}", "PL"));
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task<int> CountAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync("/datasets?limit=100" + query);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return (await DatasetApi.ReadJsonAsync(response))["items"]!.AsArray().Count;
    }

    [Fact]
    public async Task Filters_select_by_concerned_country_owner_status_and_source_type()
    {
        var auditor = broker.ClientFor(TestTenants.PlCyfronet, Roles.Auditor);

        (await CountAsync(auditor, "")).ShouldBe(11);
        (await CountAsync(auditor, "&country=LU")).ShouldBe(1);
        (await CountAsync(auditor, "&country=EE")).ShouldBe(1);
        (await CountAsync(auditor, "&country=lu")).ShouldBe(1);
        (await CountAsync(auditor, "&owner=pl-mc")).ShouldBe(8);
        (await CountAsync(auditor, "&status=restricted")).ShouldBe(1);
        (await CountAsync(auditor, "&sourceType=crawled")).ShouldBe(1);
        (await CountAsync(auditor, "&owner=pl-mc&sourceType=public&status=active")).ShouldBe(7);
    }

    [Theory]
    [InlineData("?status=paused")]
    [InlineData("?sourceType=scraped")]
    [InlineData("?cursor=not-a-cursor")]
    [InlineData("?limit=0")]
    [InlineData("?limit=1000")]
    [InlineData("?country=%00")]
    [InlineData("?country=POL")]
    [InlineData("?owner=pl%00mc")]
    public async Task Bad_query_values_are_400(string query)
    {
        var response = await broker.ClientFor(TestTenants.PlCyfronet, Roles.Auditor).GetAsync("/datasets" + query);

        await ProblemAndOpenApiTests.ShouldBeProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Cursor_pages_cover_every_dataset_once_in_registration_order()
    {
        var client = broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem);
        var seen = new List<(DateTimeOffset At, Guid Id)>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await DatasetApi.ReadJsonAsync(await client.GetAsync("/datasets?limit=4" + (cursor is null ? "" : "&cursor=" + cursor)));
            seen.AddRange(page["items"]!.AsArray().Select(i => (i!["registeredAt"]!.GetValue<DateTimeOffset>(), Guid.Parse(i["id"]!.GetValue<string>()))));
            cursor = page["next"]?.GetValue<string>();
            pages++;
        }
        while (cursor is not null && pages < 10);

        pages.ShouldBe(3);
        seen.Count.ShouldBe(11);
        seen.Select(s => s.Id).Distinct().Count().ShouldBe(11);
        seen.ShouldBe(seen.OrderBy(s => s.At).ThenBy(s => s.Id.ToString("N"), StringComparer.Ordinal).ToList());
    }

    [Fact]
    public async Task A_regulator_reads_only_datasets_concerning_its_country_and_the_EU_AI_Office_reads_all()
    {
        var estonianRegulator = broker.ClientFor(TestTenants.EeAki, Roles.Regulator);
        var euOffice = broker.ClientFor(TestTenants.EuAiOffice, Roles.Regulator);

        (await CountAsync(estonianRegulator, "")).ShouldBe(1);
        (await CountAsync(estonianRegulator, "&country=PL")).ShouldBe(0);
        (await CountAsync(broker.ClientFor(TestTenants.PlUodo, Roles.Regulator), "")).ShouldBe(8);
        (await CountAsync(euOffice, "")).ShouldBe(11);
        (await estonianRegulator.GetAsync($"/datasets/{Ids["ee"]}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await ProblemAndOpenApiTests.ShouldBeProblemAsync(await estonianRegulator.GetAsync($"/datasets/{Ids["lt"]}"), HttpStatusCode.NotFound);
        await ProblemAndOpenApiTests.ShouldBeProblemAsync(await estonianRegulator.GetAsync($"/datasets/{Ids["lt"]}/history"), HttpStatusCode.NotFound);
        await ProblemAndOpenApiTests.ShouldBeProblemAsync(await estonianRegulator.GetAsync($"/datasets/{Ids["lt"]}/versions"), HttpStatusCode.NotFound);
        (await euOffice.GetAsync($"/datasets/{Ids["lt"]}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_dataset_stored_abroad_concerns_the_storage_country_too()
    {
        var luxembourg = await broker.ClientFor(TestTenants.PlCyfronet, Roles.Auditor).GetAsync($"/datasets/{Ids["pl-lu"]}");

        (await DatasetApi.ReadJsonAsync(luxembourg))["countries"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe(["LU", "PL"]);
    }

    [Fact]
    public async Task History_lists_events_in_order_with_actor_and_time()
    {
        var history = await broker.ClientFor(TestTenants.LvDvi, Roles.Regulator).GetAsync($"/datasets/{Ids["lv"]}/history");
        var entries = (await DatasetApi.ReadJsonAsync(history)).AsArray();

        history.StatusCode.ShouldBe(HttpStatusCode.OK);
        entries.Select(e => e!["type"]!.GetValue<string>()).ShouldBe(["DatasetRegistered", "DatasetRestricted"]);
        entries.Select(e => e!["version"]!.GetValue<long>()).ShouldBe([1L, 2L]);
        var actor = entries[1]!["actor"]!;
        actor["organisation"]!.GetValue<string>().ShouldBe("lv-nvd");
        actor["country"]!.GetValue<string>().ShouldBe("LV");
        actor["application"]!.GetValue<string>().ShouldNotBeNullOrEmpty();
        actor["pseudonym"]!.GetValue<string>().ShouldStartWith("ps:");
        entries[1]!["data"]!["reason"]!.GetValue<string>().ShouldBe("owner-review");
        entries[0]!["recordedAt"]!.GetValue<DateTimeOffset>().ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(-10));
    }
}
