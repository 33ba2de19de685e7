using System.Net;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Platform.ProblemAndOpenApiTests;

namespace BalticAI.Sovereignty.Api.Tests.Decisions;

/// <summary>A national regulator replays the decisions its feed carries (docs/regulator-feeds.md) and no others.</summary>
public sealed class ReplayReadersTests(BrokerFactory broker) : IClassFixture<BrokerFactory>
{
    [Fact]
    public async Task The_regulator_of_the_asking_training_systems_country_may_replay_its_decision()
    {
        await ActivateAsync(broker, Bundle("replay-readers-1"));
        // A Lithuanian training system asks for Polish data on a Polish site: the decision reaches the LT feed because an LT organisation acts.
        var job = await RegisterJobAsync(broker, await RegisterSiteAsync(broker, $"pl-rep-{Guid.NewGuid():N}"[..20], "PL"), commercial: false, TestTenants.LtRegisters);
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);
        var asked = await broker.ClientFor(TestTenants.LtRegisters, Roles.TrainingSystem).PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)));
        var decisionId = (await DatasetApi.ReadJsonAsync(asked))["decisions"]![0]!["decisionId"]!.GetValue<string>();

        var lithuanian = await broker.ClientFor(TestTenants.LtVdai, Roles.Regulator).PostAsync($"/decisions/{decisionId}/replay", null);
        var estonian = await broker.ClientFor(TestTenants.EeAki, Roles.Regulator).PostAsync($"/decisions/{decisionId}/replay", null);

        lithuanian.StatusCode.ShouldBe(HttpStatusCode.OK, await lithuanian.Content.ReadAsStringAsync());
        await ShouldBeProblemAsync(estonian, HttpStatusCode.NotFound);
    }
}
