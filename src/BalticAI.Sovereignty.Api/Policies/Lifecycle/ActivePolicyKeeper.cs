using BalticAI.Sovereignty.Api.Infrastructure.Resilience;

namespace BalticAI.Sovereignty.Api.Policies.Lifecycle;

/// <summary>
/// Loads the recorded active bundle at start (recording the shipped one on a fresh ledger), then keeps
/// following activations made by other nodes and reloads an engine that lost it (an OPA restart).
/// Until the first load succeeds, decisions answer 503.
/// </summary>
internal sealed class ActivePolicyKeeper(PolicyLifecycle lifecycle, TimeProvider clock, ILogger<ActivePolicyKeeper> logger)
    : RepeatingWork(clock, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromSeconds(5);

    protected override string Work => "Loading or refreshing the active policy bundle (decisions answer 503 until one is loaded)";

    protected override async Task RunPassAsync(CancellationToken ct)
    {
        if (lifecycle.HasActive)
        {
            await lifecycle.RefreshAsync(ct);
        }
        else
        {
            var bundle = await lifecycle.LoadOrRecordInitialAsync(PolicySetup.BrokerActor, ct);
            Logger.LogInformation("Active policy bundle {Bundle}", bundle);
        }
    }
}
