namespace BalticAI.Sovereignty.RegulatorInbox.Witnessing;

/// <summary>
/// How long the witness has not completed a round against the broker, for the integrity health check: a log that stops
/// showing its witnesses checkpoints could be showing others a different history. The last round is recorded in the
/// inbox's schema (<see cref="WitnessMemory.RecordRoundAsync"/>); before any was, the silence counts from this start.
/// </summary>
public sealed class WitnessProgress(TimeProvider clock)
{
    private readonly DateTimeOffset _started = clock.GetUtcNow();

    private long _settledThrough;

    /// <summary>
    /// The feed sequence through which every envelope is stored and proven or failed, as the witness's last round left it
    /// (0 before its first): nothing at or below it can be overdue, so the health check reads only what lies above.
    /// </summary>
    public long SettledThrough
    {
        get => Interlocked.Read(ref _settledThrough);
        set => Interlocked.Exchange(ref _settledThrough, value);
    }

    public TimeSpan SilenceSince(DateTimeOffset? lastRound) => clock.GetUtcNow() - (lastRound ?? _started);
}
