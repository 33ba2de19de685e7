using BalticAI.Sovereignty.Api.Decisions.Grants;

namespace BalticAI.Sovereignty.Api.Provenance;

/// <summary>
/// Whether what a run read was released to its job: a dataset version is covered by a grant of the job
/// for exactly that version that the data plane redeemed. A run still reading (RUNNING) needs one that
/// is not revoked; a final report (COMPLETE, FAIL, ABORT) accounts for bytes released before any revocation.
/// </summary>
public static class GrantCoverage
{
    /// <summary>Pure: the covering grants, or the reason there are none.</summary>
    public static (IReadOnlyList<Guid> Covering, string? Reason) Check(Guid datasetId, int version, IEnumerable<Grant> jobGrants, bool stillReading)
    {
        var forVersion = jobGrants.Where(g => g.DatasetId == datasetId && g.DatasetVersion == version).ToList();
        if (forVersion.Count == 0)
        {
            return ([], "the job holds no grant for this dataset version");
        }
        var redeemed = forVersion.Where(g => g.Redemptions > 0).ToList();
        if (redeemed.Count == 0)
        {
            return ([], "no grant of the job for this dataset version was redeemed: the data plane released nothing");
        }
        var covering = stillReading ? redeemed.Where(g => g.Status == GrantStatus.Active).ToList() : redeemed;
        if (covering.Count == 0)
        {
            return ([], "every redeemed grant for this dataset version was revoked (" + string.Join(", ", redeemed.Select(g => g.RevocationReason).Distinct()) + ")");
        }
        return (covering.Select(g => g.Id).ToList(), null);
    }
}
