using System.Text.Json.Nodes;
using Marten.Events.Aggregation;

namespace BalticAI.Sovereignty.Api.Decisions.Grants;

public enum GrantStatus { Active, Revoked }

/// <summary>
/// A grant as its events leave it (inline projection; revocation looks grants up by dataset, lineage by
/// job). The released version is `DatasetVersion`: Marten fills a member named `Version` with the stream's.
/// </summary>
public sealed record Grant(
    Guid Id,
    Guid DecisionId,
    Guid JobId,
    Guid DatasetId,
    int DatasetVersion,
    Guid SiteId,
    string TrainingSystem,
    DateTimeOffset ExpiresAt,
    IReadOnlyList<JsonObject> Obligations,
    IReadOnlyList<string> Countries,
    GrantStatus Status,
    string? RevocationReason,
    int Redemptions,
    long BytesReleased)
{
    /// <summary>The SHA-256 of the signed grant, as the ledger records it: a release proves it holds the grant by presenting it.</summary>
    public string? TokenSha256 { get; init; }

    /// <summary>The revision of the dataset and the version of the site's facts its decision read (0 in grants recorded before they were kept).</summary>
    public long DatasetRevision { get; init; }

    /// <inheritdoc cref="DatasetRevision"/>
    public long SiteVersion { get; init; }

    /// <summary>The digest of the bundle its decision was taken under (null in grants recorded before it was kept).</summary>
    public string? BundleDigest { get; init; }

    public bool IsExpired(DateTimeOffset now) => now >= ExpiresAt;
}

public sealed class GrantProjection : SingleStreamProjection<Grant, Guid>
{
    public static Grant Create(GrantIssued e) => new(
        e.GrantId, e.DecisionId, e.JobId, e.DatasetId, e.Version, e.SiteId, e.TrainingSystem, e.ExpiresAt, e.Obligations, e.Countries,
        GrantStatus.Active, null, 0, 0) { TokenSha256 = e.TokenSha256, DatasetRevision = e.DatasetRevision, SiteVersion = e.SiteVersion, BundleDigest = e.BundleDigest };

    public static Grant Apply(GrantRedeemed e, Grant grant) => grant with { Redemptions = grant.Redemptions + 1, BytesReleased = grant.BytesReleased + e.Bytes };

    public static Grant Apply(GrantRevoked e, Grant grant) => grant with { Status = GrantStatus.Revoked, RevocationReason = e.Reason };
}
