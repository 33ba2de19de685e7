using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Decisions.RequestingAccess;
using BalticAI.Sovereignty.Api.Sites;
using Marten;

namespace BalticAI.Sovereignty.Api.Decisions.Grants.Revoking;

public sealed partial class GrantRevoker
{
    /// <summary>Grants a preview decides again between two reports of progress: a caller out of time loses at most these.</summary>
    private const int PreviewChunk = 100;

    /// <summary>
    /// What activating a candidate would revoke now, found as its activation will find it (<see cref="RevokeOnActivationAsync"/>,
    /// through the same <see cref="DecidedUnderAnotherAsync"/>): the active, unexpired grants decided under another bundle
    /// than <paramref name="candidateDigest"/>, each decided again on its decision's recorded input with its site and
    /// dataset as they stand, by <paramref name="takeAgain"/> (the candidate as its caller compiled it). Nothing is
    /// recorded. Each chunk's grants and those it would revoke, with their reasons, go to <paramref name="decided"/> as they
    /// are found, so a caller whose time runs out keeps what it learnt.
    /// </summary>
    public static async Task PreviewActivationAsync(IQuerySession session, string candidateDigest, TimeProvider clock,
        Func<AccessDecided, ComputeSite, Dataset, Task<PolicyVerdict?>> takeAgain,
        Action<IReadOnlyList<Grant>, IReadOnlyList<(Grant Grant, string Reason)>> decided, CancellationToken ct)
    {
        await foreach (var (grants, _) in DecidedUnderAnotherAsync(session, candidateDigest, clock, PreviewChunk, ct))
        {
            decided(grants, await RedecideAsync(session, grants, await RedecisionFacts.CurrentAsync(session, grants, ct), OnPolicy, takeAgain, ct));
        }
    }
}
