namespace BalticAI.Sovereignty.Api.Policies.Lifecycle;

/// <summary>
/// Loads the recorded active bundle at start (recording the shipped one on a fresh ledger), then keeps
/// following activations made by other nodes and reloads an engine that lost it (an OPA restart).
/// Until the first load succeeds, decisions answer 503.
/// </summary>
internal sealed class ActivePolicyKeeper(PolicyLifecycle lifecycle, ILogger<ActivePolicyKeeper> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (lifecycle.HasActive)
                {
                    await lifecycle.RefreshAsync(stoppingToken);
                }
                else
                {
                    var bundle = await lifecycle.LoadOrRecordInitialAsync(PolicySetup.BrokerActor, stoppingToken);
                    logger.LogInformation("Active policy bundle {Bundle}", bundle);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Could not load the active policy bundle; decisions answer 503 until it is loaded");
            }
            try
            {
                await Task.Delay(Interval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
