using BalticAI.Sovereignty.Api.Infrastructure.Resilience;

namespace BalticAI.Sovereignty.Api.Policies.Lifecycle;

/// <summary>
/// Loads the recorded active bundle at start (recording the first one on a fresh ledger, <see cref="InitialBundle"/>), then keeps
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
            // The reason the previous pass found, which the lifecycle keeps until a bundle is active.
            var before = lifecycle.NotActiveBecause;
            try
            {
                var bundle = await lifecycle.LoadOrRecordInitialAsync(PolicySetup.BrokerActor, ct);
                Logger.LogInformation("Active policy bundle {Bundle}", bundle);
            }
            catch (InitialBundleRefusedException e) when (e.Message == before)
            {
                // A configuration no pass will change: said once, not every pass, until a PolicyAdmin's activation ends it.
            }
            catch (InitialBundleRefusedException e)
            {
                Logger.LogError("No policy bundle is active and decisions answer 503: {Reason}", e.Message);
            }
        }
    }
}
