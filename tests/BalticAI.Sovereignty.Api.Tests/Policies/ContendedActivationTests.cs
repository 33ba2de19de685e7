using System.Net;
using System.Net.Http.Json;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Policies;
using BalticAI.Sovereignty.Api.Policies.Engines;
using BalticAI.Sovereignty.Api.Policies.Lifecycle;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Rego;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Platform.ProblemAndOpenApiTests;
using static BalticAI.Sovereignty.Api.Tests.Policies.ConditionalActivationTests;

namespace BalticAI.Sovereignty.Api.Tests.Policies;

/// <summary>
/// An activation that meets another node's activation in each of its attempts to record: 409, nothing of it recorded,
/// and the bundle in force still the one the ledger names (it was a 500).
/// </summary>
public sealed class ContendedActivationTests(InterleavingBroker broker) : IClassFixture<InterleavingBroker>
{
    [Fact]
    public async Task An_activation_overtaken_in_every_attempt_is_409_and_records_nothing()
    {
        var held = await ActivateAsync(broker, Distinct($"contended-held-{Guid.NewGuid():N}"));
        var elsewhere = new PolicyLifecycle(broker.Services.GetRequiredService<IDocumentStore>(), new EmbeddedRegoEngine(RegoOptions.Default),
            broker.Services.GetRequiredService<PolicyOptions>(), TimeProvider.System);
        var overtaking = BundleOf(Distinct($"contended-elsewhere-{Guid.NewGuid():N}"));
        var overtaken = 0;
        Func<IDocumentSession, CancellationToken, Task>? overtake = null;
        overtake = async (_, token) =>
        {
            // Disarmed while it runs, so this activation's own commit passes; armed again for the next attempt.
            await elsewhere.ActivateAsync(overtaking, PolicySetup.BrokerActor, token);
            if (++overtaken < 3)
            {
                broker.Interleaver.Arm<PolicyBundleActivated>(overtake!);
            }
        };
        broker.Interleaver.Arm<PolicyBundleActivated>(overtake);
        var activations = await CountEventsAsync(broker, "policy_bundle_activated");
        var candidate = Distinct($"contended-{Guid.NewGuid():N}");

        var refused = await broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin).PostAsJsonAsync("/policies/bundles", candidate);

        var problem = await ShouldBeProblemAsync(refused, HttpStatusCode.Conflict);
        problem["title"]!.GetValue<string>().ShouldBe("Concurrent write");
        overtaken.ShouldBe(3);
        (await CountEventsAsync(broker, "policy_bundle_activated")).ShouldBe(activations + 3);
        // The node's keeper may have taken the overtaking bundle meanwhile; never the candidate.
        broker.Services.GetRequiredService<PolicyLifecycle>().Active.Digest.ShouldBeOneOf(held, overtaking.Digest);
    }
}
