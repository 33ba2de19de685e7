namespace BalticAI.Sovereignty.Api.Policies.Lifecycle;

/// <summary>
/// A conditional activation (If-Match) named activation <see cref="Expected"/> of the lifecycle stream as the one in force,
/// and the ledger has since recorded another (<see cref="Current"/>): the caller judged the candidate against a bundle that
/// is no longer active.
/// </summary>
public sealed class PolicyActivationStaleException(long expected, long current)
    : Exception($"activation {expected} was expected in force, the ledger is at activation {current}")
{
    public long Expected { get; } = expected;

    public long Current { get; } = current;
}
