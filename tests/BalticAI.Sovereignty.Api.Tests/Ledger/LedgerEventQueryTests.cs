using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Decisions;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Ledger.LedgerEventsApi;

namespace BalticAI.Sovereignty.Api.Tests.Ledger;

[Collection(LedgerCollection.Name)]
public sealed class LedgerEventQueryTests(BrokerFactory broker) : IClassFixture<BrokerFactory>
{
    [Fact]
    public async Task Auditor_finds_a_datasets_events_in_ledger_order_with_actor_countries_and_facts_only()
    {
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);

        var items = await WaitForAsync(Auditor(broker), $"?dataset={dataset}", i => i.Count == 2);

        items.Select(Type).ShouldBe(["dataset_registered", "dataset_version_published"]);
        items[0]["sequence"]!.GetValue<long>().ShouldBeLessThan(items[1]["sequence"]!.GetValue<long>());
        items[0]["stream"]!.GetValue<string>().ShouldBe(dataset.ToString());
        items[0]["countries"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldContain("PL");
        items[0]["actor"]!["organisation"]!.GetValue<string>().ShouldBe("pl-mc");
        items[1]["data"]!["datasetId"]!.GetValue<string>().ShouldBe(dataset.ToString());
        items[1]["data"]!.AsObject().ContainsKey("notes").ShouldBeFalse("free text stays in the broker");
        // The tree builder and the index are separate subscriptions: wait until both have the event.
        var withIndex = await WaitForAsync(Auditor(broker), $"?dataset={dataset}", i => i.Count == 2 && i[0]["index"] is not null);
        var eventId = Guid.Parse(withIndex[0]["eventId"]!.GetValue<string>());
        var entry = await broker.CreateClient().GetFromJsonAsync<JsonObject>($"/ledger/entries/by-event/{eventId}");
        withIndex[0]["index"]!.GetValue<long>().ShouldBe(entry!["proof"]!["index"]!.GetValue<long>());
    }

    [Fact]
    public async Task Filters_by_job_and_type_include_decisions_and_grants_and_a_redemption_takes_its_grants_job()
    {
        await ActivateAsync(broker, Bundle("events-1"));
        var site = await RegisterSiteAsync(broker, $"pl-ev-{Guid.NewGuid():N}"[..18], "PL", "secure-processing-environment");
        var job = await RegisterJobAsync(broker, site, commercial: false);
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);
        var asked = await broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem).PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)));
        var grantId = GrantTokens.Remember((await DatasetApi.ReadJsonAsync(asked))["decisions"]![0]!["grant"]!);
        var redeemed = await broker.ClientFor(TestTenants.PlCyfronet, Roles.DataPlane)
            .PostJsonAsync($"/grants/{grantId}/redemptions", GrantTokens.Release(grantId, 1024, DatasetApi.Digest1));
        redeemed.StatusCode.ShouldBe(HttpStatusCode.Created, await redeemed.Content.ReadAsStringAsync());

        var byJob = await WaitForAsync(Auditor(broker), $"?job={job}", i => i.Count == 4);
        var byDatasetAndType = await WaitForAsync(Auditor(broker), $"?dataset={dataset}&type=GrantIssued,grant_redeemed", i => i.Count == 2);
        var byModel = await WaitForAsync(Auditor(broker), "?model=bielik-test&type=TrainingJobRegistered", i => i.Count > 0);

        byJob.Select(Type).ShouldBe(["training_job_registered", "access_decided", "grant_issued", "grant_redeemed"]);
        byDatasetAndType.Select(Type).ShouldBe(["grant_issued", "grant_redeemed"]);
        byModel.ShouldContain(i => i["stream"]!.GetValue<string>() == job.ToString());
    }

    [Fact]
    public async Task A_regulator_sees_only_events_concerning_its_country()
    {
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);
        await WaitForAsync(Auditor(broker), $"?dataset={dataset}", i => i.Count == 2);

        var polish = Items(await PageAsync(broker.ClientFor(TestTenants.PlUodo, Roles.Regulator), $"?dataset={dataset}"));
        var estonian = Items(await PageAsync(broker.ClientFor(TestTenants.EeAki, Roles.Regulator), $"?dataset={dataset}"));
        var estonianAskingForPoland = Items(await PageAsync(broker.ClientFor(TestTenants.EeAki, Roles.Regulator), $"?dataset={dataset}&country=PL"));
        var euOffice = Items(await PageAsync(broker.ClientFor(TestTenants.EuAiOffice, Roles.Regulator), $"?dataset={dataset}"));

        polish.Count.ShouldBe(2);
        estonian.ShouldBeEmpty();
        estonianAskingForPoland.ShouldBeEmpty();
        euOffice.Count.ShouldBe(2);
    }

    [Fact]
    public async Task Country_type_and_time_filters_find_a_lithuanian_dataset_and_regulators_see_their_own()
    {
        var owner = broker.ClientFor(TestTenants.LtRegisters, Roles.DataOwner);
        var (dataset, etag) = await owner.RegisterAsync(DatasetApi.Terms(title: $"Lithuanian corpus {Guid.NewGuid():N}", country: "LT"));
        (await owner.PostJsonAsync($"/datasets/{dataset}/versions", DatasetApi.Version(), etag)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var since = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O"));
        bool Mine(JsonObject item) => item["stream"]!.GetValue<string>() == dataset.ToString();

        var byCountryAndTypes = await WaitForAsync(Auditor(broker), $"?country=LT&type=DatasetRegistered,dataset_version_published&from={since}&limit=1000",
            items => items.Count(Mine) == 2);
        var beforeIt = Items(await PageAsync(Auditor(broker), "?country=LT&type=dataset_registered&to=2020-01-01"));
        var lithuanian = Items(await PageAsync(broker.ClientFor(TestTenants.LtVdai, Roles.Regulator), "?type=dataset_registered&limit=1000"));
        var latvian = Items(await PageAsync(broker.ClientFor(TestTenants.LvDvi, Roles.Regulator), "?type=dataset_registered&limit=1000"));

        byCountryAndTypes.Where(Mine).Select(Type).ShouldBe(["dataset_registered", "dataset_version_published"]);
        byCountryAndTypes.Select(i => i["sequence"]!.GetValue<long>()).ShouldBeInOrder(SortDirection.Ascending);
        byCountryAndTypes.ShouldAllBe(i => i["countries"]!.AsArray().Any(c => c!.GetValue<string>() == "LT"));
        beforeIt.ShouldBeEmpty();
        lithuanian.Any(Mine).ShouldBeTrue();
        latvian.Any(Mine).ShouldBeFalse();
        latvian.ShouldAllBe(i => i["countries"]!.AsArray().Any(c => c!.GetValue<string>() == "LV"));
    }

    [Fact]
    public async Task Cursor_pages_cover_the_result_once_in_order()
    {
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);
        var owner = broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner);
        for (var v = 2; v <= 4; v++)
        {
            var current = await owner.GetAsync($"/datasets/{dataset}");
            var published = await owner.PostJsonAsync($"/datasets/{dataset}/versions", DatasetApi.Version("sha256:" + new string((char)('a' + v), 64)), current.Headers.ETag!.ToString());
            published.StatusCode.ShouldBe(HttpStatusCode.Created, await published.Content.ReadAsStringAsync());
        }
        var auditor = Auditor(broker);
        var all = await WaitForAsync(auditor, $"?dataset={dataset}", i => i.Count == 5);

        var paged = new List<JsonObject>();
        string? next = $"/ledger/events?dataset={dataset}&limit=2";
        var pages = 0;
        while (next is not null)
        {
            var page = (await auditor.GetFromJsonAsync<JsonObject>(next))!;
            paged.AddRange(Items(page));
            next = page["next"]?.GetValue<string>();
            pages++;
        }

        pages.ShouldBe(3);
        paged.Select(i => i["sequence"]!.GetValue<long>()).ShouldBe(all.Select(i => i["sequence"]!.GetValue<long>()));
    }

    [Fact]
    public async Task A_type_named_twice_pages_as_if_named_once()
    {
        var first = await RegisterDatasetAsync(broker, researchOnly: false);
        var second = await RegisterDatasetAsync(broker, researchOnly: false);
        var auditor = Auditor(broker);
        await WaitForAsync(auditor, "?type=dataset_registered&limit=1000",
            i => new[] { first, second }.All(d => i.Any(e => e["stream"]!.GetValue<string>() == d.ToString())));

        var once = await PageAsync(auditor, "?type=dataset_registered&limit=1");
        var twice = await PageAsync(auditor, "?type=dataset_registered,DatasetRegistered&type=dataset_registered&limit=1");

        // Each name was a range of its own: the page's limit counted every event once per name.
        twice["next"].ShouldNotBeNull("more dataset_registered events follow the first");
        Items(twice).Select(i => i["sequence"]!.GetValue<long>()).ShouldBe(Items(once).Select(i => i["sequence"]!.GetValue<long>()));
    }

    [Theory]
    [InlineData("?country=POL", "country")]
    [InlineData("?dataset=not-a-uuid", "dataset")]
    [InlineData("?job=42", "job")]
    [InlineData("?type=dataset-registered", "type")]
    [InlineData("?type=DatasetRegistred", "type")]
    [InlineData("?type=access_decided,grant_isued", "type")]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=1001", "limit")]
    [InlineData("?limit=abc", "limit")]
    [InlineData("?to=tomorrow", "to")]
    [InlineData("?cursor=bm90LWEtY3Vyc29y", "cursor")]
    [InlineData("?from=yesterday", "from")]
    [InlineData("?from=2026-11-02&to=2026-11-01", "to")]
    [InlineData("?datasetId=5d1c6c1e-0a8f-4a36-9a5e-000000000101", "datasetId")]
    [InlineData("?country=PL&country=EE", "country")]
    public async Task Bad_filters_are_refused_naming_the_parameter(string query, string parameter)
    {
        var response = await Auditor(broker).GetAsync("/ledger/events" + query);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        ShouldNameInvalidQuery(problem, parameter);
    }

    [Fact]
    public async Task Several_bad_parameters_are_named_at_once_in_the_words_of_the_other_listings()
    {
        var response = await Auditor(broker).GetAsync("/ledger/events?limit=1001&cursor=bm90LWEtY3Vyc29y");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = ShouldNameInvalidQuery((await response.Content.ReadFromJsonAsync<JsonObject>())!, "limit", "cursor");
        errors["limit"].ShouldBe(["must be a whole number between 1 and 1000"]);
        errors["cursor"].ShouldBe(["is not a cursor this API issued"]);
    }

    /// <summary>A misspelt type used to answer an empty page, which an auditor reads as "no such events".</summary>
    [Fact]
    public async Task A_type_the_broker_does_not_record_is_named_with_those_it_does()
    {
        var response = await Auditor(broker).GetAsync("/ledger/events?type=DatasetRegistred");

        var errors = ShouldNameInvalidQuery((await response.Content.ReadFromJsonAsync<JsonObject>())!, "type");
        var message = errors["type"].ShouldHaveSingleItem();
        message.ShouldContain("'DatasetRegistred' is not");
        message.ShouldContain("dataset_registered");
        message.ShouldContain("grant_issued");
        (await Auditor(broker).GetAsync("/ledger/events?type=DatasetRegistered,grant_issued")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData(Roles.DataOwner, HttpStatusCode.Forbidden)]
    [InlineData(Roles.TrainingSystem, HttpStatusCode.Forbidden)]
    [InlineData(Roles.PolicyAdmin, HttpStatusCode.Forbidden)]
    public async Task Only_auditors_and_regulators_query_events(string role, HttpStatusCode expected)
    {
        (await broker.ClientFor(TestTenants.PlMinistry, role).GetAsync("/ledger/events")).StatusCode.ShouldBe(expected);
        (await broker.CreateClient().GetAsync("/ledger/events")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
