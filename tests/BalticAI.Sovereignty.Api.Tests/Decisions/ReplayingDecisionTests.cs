using System.Net;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;

namespace BalticAI.Sovereignty.Api.Tests.Decisions;

/// <summary>A replay names the bundle as the decision recorded it.</summary>
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
}
