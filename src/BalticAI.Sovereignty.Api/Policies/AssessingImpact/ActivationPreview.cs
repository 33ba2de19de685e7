using BalticAI.Sovereignty.Api.Decisions.Grants;

namespace BalticAI.Sovereignty.Api.Policies.AssessingImpact;

/// <summary>
/// What activating the candidate would do to the active grants as they stand, found as the activation will find it
/// (GrantRevoker.PreviewActivationAsync): <see cref="ToDecideAgain"/> active grants decided under another bundle, of which
/// <see cref="Evaluated"/> were decided again before the time budget ran out (<see cref="StoppedBecause"/>) and
/// <see cref="WouldBeRevoked"/> would go, by reason (<see cref="Reasons"/>), the first <see cref="ActivationPreview.Listed"/>
/// named. Unlike the decisions, judged on their recorded inputs, these are judged on the sites and datasets of now.
/// </summary>
public sealed record GrantsPreview(int ToDecideAgain, int Evaluated, int WouldBeRevoked, IReadOnlyDictionary<string, int> Reasons,
    IReadOnlyList<GrantRevocationPreview> Revoked, string? StoppedBecause);

/// <summary>An active grant the activation would revoke, with the reason it would be revoked with.</summary>
public sealed record GrantRevocationPreview(Guid GrantId, Guid JobId, Guid DatasetId, int Version, string TrainingSystem, string Reason);

/// <summary>Collects <see cref="GrantsPreview"/> a chunk at a time, so an assessment out of time reports the chunks it finished.</summary>
public sealed class ActivationPreview
{
    /// <summary>Revocations named in the report; the rest are counted.</summary>
    public const int Listed = 100;

    private readonly SortedDictionary<string, int> _reasons = new(StringComparer.Ordinal);
    private readonly List<GrantRevocationPreview> _revoked = [];
    private int _wouldBeRevoked;

    public int Evaluated { get; private set; }

    public void Add(IReadOnlyList<Grant> decided, IReadOnlyList<(Grant Grant, string Reason)> revoked)
    {
        Evaluated += decided.Count;
        _wouldBeRevoked += revoked.Count;
        foreach (var (grant, reason) in revoked)
        {
            _reasons[reason] = _reasons.GetValueOrDefault(reason) + 1;
            if (_revoked.Count < Listed)
            {
                _revoked.Add(new GrantRevocationPreview(grant.Id, grant.JobId, grant.DatasetId, grant.DatasetVersion, grant.TrainingSystem, reason));
            }
        }
    }

    public GrantsPreview Finish(int toDecideAgain, string? stoppedBecause) =>
        new(toDecideAgain, Evaluated, _wouldBeRevoked, new Dictionary<string, int>(_reasons), _revoked, stoppedBecause);
}
