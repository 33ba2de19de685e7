using System.Net;
using BalticAI.Sovereignty.Api.Datasets.Demo;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BalticAI.Sovereignty.Api.Tests.Datasets;

public sealed class DemoSeederTests(DemoSeederTests.SeedingBroker broker) : IClassFixture<DemoSeederTests.SeedingBroker>
{
    public sealed class SeedingBroker : BrokerFactory
    {
        protected override IDictionary<string, string?> Settings =>
            new Dictionary<string, string?>(base.Settings) { ["Datasets:SeedDemo"] = "true" };
    }

    [Fact]
    public async Task Start_up_seeds_the_demo_datasets_of_four_countries_and_a_second_run_finds_them()
    {
        var client = broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor);
        var page = await DatasetApi.ReadJsonAsync(await client.GetAsync("/datasets?limit=100"));
        var items = page["items"]!.AsArray();

        items.Count.ShouldBe(DemoDatasets.All.Count);
        items.Select(i => i!["ownerCountry"]!.GetValue<string>()).Distinct().Order().ShouldBe(["EE", "LT", "LV", "PL"]);
        items.ShouldAllBe(i => i!["versionCount"]!.GetValue<int>() == 1);

        var seeder = broker.Services.GetServices<IHostedService>().OfType<DemoSeeder>().Single();
        (await seeder.SeedAsync(CancellationToken.None)).ShouldBe(0);
        (await DatasetApi.ReadJsonAsync(await client.GetAsync("/datasets?limit=100")))["items"]!.AsArray().Count.ShouldBe(DemoDatasets.All.Count);
    }

    [Fact]
    public async Task The_research_only_corpus_carries_its_restrictions_and_the_history_names_the_seeder()
    {
        var client = broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner);
        var page = await DatasetApi.ReadJsonAsync(await client.GetAsync("/datasets?owner=pl-mc"));
        var id = page["items"]!.AsArray().Single()!["id"]!.GetValue<string>();

        var dataset = await DatasetApi.ReadJsonAsync(await client.GetAsync($"/datasets/{id}"));
        var history = await client.GetAsync($"/datasets/{id}/history");

        dataset["terms"]!["licensing"]!["restrictions"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldBe(["nc", "research-only"]);
        history.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await DatasetApi.ReadJsonAsync(history)).AsArray().ShouldAllBe(e => e!["actor"]!["application"]!.GetValue<string>() == DemoSeeder.Application);
    }
}
