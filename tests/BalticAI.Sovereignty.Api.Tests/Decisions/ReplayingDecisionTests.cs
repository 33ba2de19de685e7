using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Policies.Engines;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;

namespace BalticAI.Sovereignty.Api.Tests.Decisions;

/// <summary>A replay names the bundle as the decision recorded it, and compiles an older bundle once.</summary>
public sealed class ReplayingDecisionTests(BrokerFactory broker) : IClassFixture<BrokerFactory>
{
    /// <summary>The digest covers modules and data, not the revision: the same content activated again under another name is found by it.</summary>
    [Fact]
    public async Task A_replay_after_the_same_bundle_was_activated_under_another_revision_names_the_recorded_revision()
    {
        var digest = await ActivateAsync(broker, Bundle("replay-named-1"));
        var job = await RegisterJobAsync(broker, await RegisterSiteAsync(broker, $"pl-rep-{Guid.NewGuid():N}"[..20], "PL"), commercial: false);
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);
        var asked = await broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem).PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)));
        var decision = (await DatasetApi.ReadJsonAsync(asked))["decisions"]![0]!;
        (await ActivateAsync(broker, Bundle("replay-named-2"))).ShouldBe(digest);

        var response = await broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor).PostAsync($"/decisions/{decision["decisionId"]!.GetValue<string>()}/replay", null);
        var replay = await DatasetApi.ReadJsonAsync(response);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, replay.ToJsonString());
        decision["bundle"]!["revision"]!.GetValue<string>().ShouldBe("replay-named-1");
        replay["bundle"]!["revision"]!.GetValue<string>().ShouldBe("replay-named-1");
        replay["bundle"]!["digest"]!.GetValue<string>().ShouldBe(digest);
        replay["identical"]!.GetValue<bool>().ShouldBeTrue();
    }

    /// <summary>More bundles than the cache keeps are activated after the decision's, so its first replay compiles it.</summary>
    [Fact]
    public async Task Two_replays_under_a_superseded_bundle_compile_it_once_and_agree()
    {
        var superseded = Bundle("replay-cached-old");
        superseded["data"]!["replayMarker"] = Guid.NewGuid().ToString();
        var digest = await ActivateAsync(broker, superseded);
        var job = await RegisterJobAsync(broker, await RegisterSiteAsync(broker, $"pl-rpc-{Guid.NewGuid():N}"[..20], "PL"), commercial: true);
        var dataset = await RegisterDatasetAsync(broker, researchOnly: true);
        var asked = await broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem).PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)));
        var decisionId = (await DatasetApi.ReadJsonAsync(asked))["decisions"]![0]!["decisionId"]!.GetValue<string>();
        for (var i = 0; i <= EmbeddedRegoEngine.CachedBundles; i++)
        {
            var later = Bundle($"replay-cached-new-{i}");
            later["data"]!["replayMarker"] = Guid.NewGuid().ToString();
            await ActivateAsync(broker, later);
        }
        var engine = broker.Services.GetRequiredService<EmbeddedRegoEngine>();
        var auditor = broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor);
        var compilations = engine.Compilations;

        var first = await DatasetApi.ReadJsonAsync(await auditor.PostAsync($"/decisions/{decisionId}/replay", null));
        var afterFirst = engine.Compilations;
        var second = await DatasetApi.ReadJsonAsync(await auditor.PostAsync($"/decisions/{decisionId}/replay", null));

        afterFirst.ShouldBe(compilations + 1);
        engine.Compilations.ShouldBe(afterFirst);
        first["bundle"]!["digest"]!.GetValue<string>().ShouldBe(digest);
        first["identical"]!.GetValue<bool>().ShouldBeTrue(first.ToJsonString());
        first["replayed"]!["allowed"]!.GetValue<bool>().ShouldBeFalse();
        JsonNode.DeepEquals(first, second).ShouldBeTrue(second.ToJsonString());
    }
}
