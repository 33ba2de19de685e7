using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Sites.Demo;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Decisions;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Api.TrainingJobs.Demo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BalticAI.Sovereignty.Api.Tests.TrainingJobs;

/// <summary>The demo registers sites and jobs beside its datasets, so that the shipped policies' outcomes can be tried at once.</summary>
public sealed class DemoJobSeederTests(DemoSeederTests.SeedingBroker broker) : IClassFixture<DemoSeederTests.SeedingBroker>
{
    [Fact]
    public async Task Start_up_registers_the_demo_sites_and_jobs_and_a_second_run_finds_them()
    {
        var sites = JsonNode.Parse(await broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor).GetStringAsync("/sites"))!.AsArray();
        var cyfronetJobs = await JobsAsync(TestTenants.PlCyfronet, "pl-cyfronet");
        var registryJobs = await JobsAsync(TestTenants.LtRegisters, "lt-rc");

        sites.Select(s => s!["code"]!.GetValue<string>()).Order().ShouldBe([DemoSites.Vilnius, DemoSites.Krakow]);
        cyfronetJobs.Keys.Order().ShouldBe(["pllum-commercial-assistant", "pllum-research"]);
        registryJobs.Keys.ShouldBe(["lt-registry-assistant"]);
        var seeder = broker.Services.GetServices<IHostedService>().OfType<DemoJobSeeder>().Single();
        (await seeder.SeedAsync(CancellationToken.None)).ShouldBe((0, 0));
        (await JobsAsync(TestTenants.PlCyfronet, "pl-cyfronet")).Count.ShouldBe(2);
    }

    [Fact]
    public async Task The_demo_jobs_show_the_shipped_policies_on_the_demo_datasets()
    {
        await DecisionWorld.WaitForShippedBundleAsync(broker);
        var datasets = (await DatasetApi.ReadJsonAsync(await broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor).GetAsync("/datasets?limit=100")))["items"]!.AsArray()
            .ToDictionary(d => d!["title"]!.GetValue<string>(), d => Guid.Parse(d!["id"]!.GetValue<string>()));
        var research = datasets["PLLuM research corpus (Polish, research-only part)"];
        var critical = datasets["Lithuanian Register of Legal Entities extracts (critical state data)"];
        var cyfronet = await JobsAsync(TestTenants.PlCyfronet, "pl-cyfronet");
        var registry = await JobsAsync(TestTenants.LtRegisters, "lt-rc");

        var commercialOnResearch = await DecideAsync(TestTenants.PlCyfronet, cyfronet["pllum-commercial-assistant"], research);
        var researchOnResearch = await DecideAsync(TestTenants.PlCyfronet, cyfronet["pllum-research"], research);
        var krakowOnCritical = await DecideAsync(TestTenants.PlCyfronet, cyfronet["pllum-research"], critical);
        var vilniusOnCritical = await DecideAsync(TestTenants.LtRegisters, registry["lt-registry-assistant"], critical);

        commercialOnResearch["allowed"]!.GetValue<bool>().ShouldBeFalse();
        Rules(commercialOnResearch).ShouldContain("research-only");
        researchOnResearch["allowed"]!.GetValue<bool>().ShouldBeTrue(researchOnResearch.ToJsonString());
        researchOnResearch["obligations"]!.AsArray().Select(o => o!["type"]!.GetValue<string>()).ShouldContain("model-inherits-non-commercial");
        krakowOnCritical["allowed"]!.GetValue<bool>().ShouldBeFalse();
        Rules(krakowOnCritical).ShouldContain("national-residency");
        vilniusOnCritical["allowed"]!.GetValue<bool>().ShouldBeTrue(vilniusOnCritical.ToJsonString());
    }

    private static IEnumerable<string> Rules(JsonNode decision) =>
        decision["reasons"]!.AsArray().Select(r => r!["rule"]!.GetValue<string>()).Distinct();

    /// <summary>The jobs <paramref name="tenant"/>'s training system registered, by model name.</summary>
    private async Task<Dictionary<string, Guid>> JobsAsync(string tenant, string organisation)
    {
        var page = await DatasetApi.ReadJsonAsync(await broker.ClientFor(tenant, Roles.TrainingSystem).GetAsync($"/training-jobs?trainingSystem={organisation}&limit=100"));
        return page["items"]!.AsArray().ToDictionary(j => j!["model"]!["name"]!.GetValue<string>(), j => Guid.Parse(j!["id"]!.GetValue<string>()));
    }

    private async Task<JsonNode> DecideAsync(string tenant, Guid job, Guid dataset)
    {
        var response = await broker.ClientFor(tenant, Roles.TrainingSystem).PostJsonAsync($"/training-jobs/{job}/access-requests", DecisionWorld.Ask((dataset, 1)));
        var body = await DatasetApi.ReadJsonAsync(response);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToJsonString());
        return body["decisions"]![0]!;
    }
}
