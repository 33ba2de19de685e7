namespace BalticAI.Sovereignty.Api.Infrastructure.Resilience;

/// <summary>
/// Background work done in passes, one every <see cref="Interval"/> until the host stops. A failed pass (the
/// database, the key store or the policy engine away) is logged and not retried early: each of these passes
/// reads again everything a failed one would have done, so waiting for the next loses nothing.
/// </summary>
public abstract class RepeatingWork(TimeProvider clock, ILogger logger) : BackgroundService
{
    protected TimeProvider Clock { get; } = clock;

    protected ILogger Logger { get; } = logger;

    protected abstract TimeSpan Interval { get; }

    /// <summary>What a pass does, for the warning of a failed one ("Sweeping grants of expired terms").</summary>
    protected abstract string Work { get; }

    /// <summary>Whether the first pass waits one interval, for work that cannot be due when the broker starts.</summary>
    protected virtual bool WaitsBeforeFirstPass => false;

    protected abstract Task RunPassAsync(CancellationToken ct);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (WaitsBeforeFirstPass)
            {
                await Task.Delay(Interval, Clock, stoppingToken);
            }
            while (true)
            {
                try
                {
                    await RunPassAsync(stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    Logger.LogWarning(e, "{Work} failed; the next pass is in {Interval}", Work, Interval);
                }
                await Task.Delay(Interval, Clock, stoppingToken);
            }
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: a pass cut short is done again by the next start.
        }
    }
}
