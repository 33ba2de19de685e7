namespace BalticAI.Sovereignty.RegulatorInbox.Witnessing;

/// <summary>
/// When the witness last completed a round against the broker (cosigned, or found nothing new), for the integrity
/// health check: a log that stops showing its witnesses checkpoints could be showing others a different history.
/// Kept in memory; after a start, the staleness counts from the start.
/// </summary>
public sealed class WitnessProgress(TimeProvider clock)
{
    private readonly DateTimeOffset _started = clock.GetUtcNow();
    private long _lastRoundTicks;

    public void RoundCompleted() => Interlocked.Exchange(ref _lastRoundTicks, clock.GetUtcNow().UtcTicks);

    /// <summary>The last completed round, or null when none has completed since the start.</summary>
    public DateTimeOffset? LastRound => Interlocked.Read(ref _lastRoundTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>How long since the last completed round, or since the start when none has.</summary>
    public TimeSpan Silence => clock.GetUtcNow() - (LastRound ?? _started);
}
