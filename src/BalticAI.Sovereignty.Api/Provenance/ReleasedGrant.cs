using BalticAI.Sovereignty.Api.Decisions;
using BalticAI.Sovereignty.Api.Decisions.Grants;
using Marten.Events.Aggregation;

namespace BalticAI.Sovereignty.Api.Provenance;

/// <summary>
/// A grant as lineage checks it: which dataset version it released to which job, and whether bytes
/// moved. Kept apart from the Decisions slice's <see cref="Grant"/> document, whose `Version` member
/// Marten fills with the grant stream's version rather than the dataset version.
/// </summary>
public sealed record ReleasedGrant(
    Guid Id,
    Guid DecisionId,
    Guid JobId,
    Guid DatasetId,
    int DatasetVersion,
    GrantStatus Status,
    string? RevocationReason,
    int Redemptions);

public sealed class ReleasedGrantProjection : SingleStreamProjection<ReleasedGrant, Guid>
{
    public static ReleasedGrant Create(GrantIssued e) => new(e.GrantId, e.DecisionId, e.JobId, e.DatasetId, e.Version, GrantStatus.Active, null, 0);

    public static ReleasedGrant Apply(GrantRedeemed e, ReleasedGrant grant) => grant with { Redemptions = grant.Redemptions + 1 };

    public static ReleasedGrant Apply(GrantRevoked e, ReleasedGrant grant) => grant with { Status = GrantStatus.Revoked, RevocationReason = e.Reason };
}
