namespace BalticAI.Sovereignty.Api.Policies.AssessingImpact;

/// <summary>
/// One impact assessment at a time on a node: each may keep a core busy for up to Policy:ImpactTimeout, and on the
/// broker's two-core hosts two of them would slow every decision. A second one is told to come back (429), not queued,
/// so that a PolicyAdmin's retries never pile up behind a long one.
/// </summary>
public sealed class ImpactGate
{
    /// <summary>What a refused assessment is told to wait before asking again.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _turn = new(1, 1);

    public bool TryEnter() => _turn.Wait(0);

    public void Exit() => _turn.Release();
}
