using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Provenance.ProvenanceWorld;

namespace BalticAI.Sovereignty.Api.Tests.Provenance;

/// <summary>A schema of its own: the test counts the flag events of the whole ledger.</summary>
public sealed class LiftingRestrictionTests(BrokerFactory broker) : IClassFixture<BrokerFactory>, IAsyncLifetime
{
    private Guid _site;

    public async Task InitializeAsync()
    {
        await ActivateTestBundleAsync(broker, "provenance-4");
        _site = await RegisterSiteAsync(broker, $"pl-lift-{Guid.NewGuid():N}"[..20], "PL");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Lifting_a_restriction_clears_the_flags_it_put_on_every_model_version_and_derived_dataset_downstream()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (baseJob, restricted, _) = await GrantedJobAsync(broker, _site);
        await TrainAsync(broker, baseJob, [Input(restricted)], ModelOutput($"base-{suffix}", "1"));
        var (tuneJob, other, _) = await GrantedJobAsync(broker, _site);
        await TrainAsync(broker, tuneJob, [Input(other)], ModelOutput($"tune-{suffix}", "1", ($"base-{suffix}", "1")));
        var copy = await RegisterDerivedAsync(broker, restricted, $"Copy {suffix}");
        var owner = broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner);
        var auditor = broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor);
        var restriction = await owner.PostJsonAsync($"/datasets/{restricted}/restriction", new JsonObject { ["reason"] = "accuracy-contested" },
            (await owner.GetAsync($"/datasets/{restricted}")).Headers.ETag!.ToString());
        restriction.IsSuccessStatusCode.ShouldBeTrue(await restriction.Content.ReadAsStringAsync());
        (await FlagsAsync(auditor, $"tune-{suffix}", count => count == 1)).Single()!["reason"]!.GetValue<string>().ShouldBe("dataset-restricted:accuracy-contested");
        await FlagsAsync(auditor, $"base-{suffix}", count => count == 1);
        var flag = (await DatasetApi.ReadJsonAsync(await auditor.GetAsync($"/datasets/{copy}")))["flags"]!.AsArray().Single()!;
        (flag["sourceDatasetId"]!.GetValue<Guid>(), flag["reason"]!.GetValue<string>(), flag["versions"]!.ToJsonString()).ShouldBe((restricted, "dataset-restricted:accuracy-contested", "[1]"));

        var lifting = await owner.PostJsonAsync($"/datasets/{restricted}/restriction/lifting", new JsonObject { ["reason"] = "accuracy-verified" },
            (await owner.GetAsync($"/datasets/{restricted}")).Headers.ETag!.ToString());

        lifting.IsSuccessStatusCode.ShouldBeTrue(await lifting.Content.ReadAsStringAsync());
        await FlagsAsync(auditor, $"tune-{suffix}", count => count == 0);
        await FlagsAsync(auditor, $"base-{suffix}", count => count == 0);
        var lineage = await DatasetApi.ReadJsonAsync(await auditor.GetAsync($"/datasets/{restricted}/lineage"));
        lineage["status"]!.GetValue<string>().ShouldBe("active");
        lineage["modelVersions"]!.AsArray().ShouldAllBe(m => m!["flags"]!.AsArray().Count == 0);
        (await CountEventsAsync(broker, "model_version_flagged")).ShouldBe(2, "the flags stay in the ledger as history");
        (await CountEventsAsync(broker, "model_version_unflagged")).ShouldBe(2);
        (await DatasetApi.ReadJsonAsync(await auditor.GetAsync($"/datasets/{copy}")))["flags"]!.AsArray().ShouldBeEmpty();
        (await CountEventsAsync(broker, "derived_dataset_unflagged")).ShouldBe(1);
    }

    /// <summary>The model version's flags once their number satisfies <paramref name="expected"/>; the flagger runs in the background.</summary>
    private static async Task<JsonArray> FlagsAsync(HttpClient client, string modelId, Func<int, bool> expected)
    {
        var clock = Stopwatch.StartNew();
        JsonArray flags = [];
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            var response = await client.GetAsync($"/models/{modelId}/versions/1");
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            flags = (await DatasetApi.ReadJsonAsync(response))["flags"]!.AsArray();
            if (expected(flags.Count))
            {
                return flags;
            }
            await Task.Delay(100);
        }
        throw new ShouldAssertException($"{modelId} still has {flags.Count} flags after 20 s");
    }
}
