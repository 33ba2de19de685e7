namespace BalticAI.Sovereignty.Api.Policies.Lifecycle;

/// <summary>The ledger already records this revision for a bundle of other content (<see cref="RecordedDigest"/>).</summary>
public sealed class PolicyRevisionTakenException(string revision, string recordedDigest)
    : Exception($"revision {revision} is already recorded for bundle {recordedDigest}")
{
    public string Revision { get; } = revision;

    public string RecordedDigest { get; } = recordedDigest;
}
