namespace BalticAI.Sovereignty.RegulatorInbox.Witnessing;

/// <summary>
/// How long the witness has not completed a round against the broker, for the integrity health check: a log that stops
/// showing its witnesses checkpoints could be showing others a different history. The last round is recorded in the
/// inbox's schema (<see cref="WitnessMemory.RecordRoundAsync"/>); before any was, the silence counts from this start.
/// </summary>
public sealed class WitnessProgress(TimeProvider clock)
{
    private readonly DateTimeOffset _started = clock.GetUtcNow();

    public TimeSpan SilenceSince(DateTimeOffset? lastRound) => clock.GetUtcNow() - (lastRound ?? _started);
}
