using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Ledger;

namespace BalticAI.Sovereignty.Api.Decisions;

/// <summary>One violated rule, as the policy states it.</summary>
public sealed record DecisionReason(string Rule, string Message, string? Source);

/// <summary>
/// The broker decided whether one dataset version may cross into one training job. The event id is
/// the decision id, so a grant, a replay and a ledger proof all name the same thing. The input is kept
/// whole (it holds facts, not personal data) so the decision can be replayed under its bundle.
/// </summary>
public sealed record AccessDecided(
    Guid DecisionId,
    Guid JobId,
    Guid DatasetId,
    int Version,
    string TrainingSystem,
    Guid SiteId,
    bool Allowed,
    IReadOnlyList<DecisionReason> Reasons,
    IReadOnlyList<JsonObject> Obligations,
    string BundleRevision,
    string BundleDigest,
    string InputDigest,
    JsonObject Input,
    Guid? GrantId,
    DateTimeOffset DecidedAt,
    IReadOnlyList<string> Countries) : ILedgerEvent
{
    IReadOnlyCollection<string> ILedgerEvent.Countries => Countries;
}

/// <summary>
/// The broker refused one asked dataset version before any policy was consulted: its job was closed, the job's site
/// suspended, or the version withdrawn (<c>job-closed:completed</c>, <c>site-suspended:security-incident</c>,
/// <c>dataset-version-withdrawn:erasure-request</c>, as the revocations those changes cause). No bundle decided it, so it
/// is not an <see cref="AccessDecided"/> and has nothing to replay; it is kept because an attempt to take data after it
/// had to stop is what an auditor asks about. The event id is the refusal id.
/// </summary>
public sealed record AccessRefused(
    Guid RefusalId,
    Guid JobId,
    Guid DatasetId,
    int Version,
    string TrainingSystem,
    Guid SiteId,
    string Reason,
    DateTimeOffset RefusedAt,
    IReadOnlyList<string> Countries) : ILedgerEvent
{
    IReadOnlyCollection<string> ILedgerEvent.Countries => Countries;
}

/// <summary>
/// An allowed decision yielded a time-bound grant; the token itself is not kept, its digest is. SiteVersion is the
/// version of the site's facts the decision read (0 in grants recorded before it was kept); BundleDigest the bundle it
/// was decided under (null in grants recorded before it was kept), which a later activation compares with its own.
/// </summary>
public sealed record GrantIssued(
    Guid GrantId,
    Guid DecisionId,
    Guid JobId,
    Guid DatasetId,
    int Version,
    Guid SiteId,
    string TrainingSystem,
    DateTimeOffset ExpiresAt,
    IReadOnlyList<JsonObject> Obligations,
    string TokenSha256,
    IReadOnlyList<string> Countries,
    long SiteVersion = 0,
    long DatasetRevision = 0,
    string? BundleDigest = null) : ILedgerEvent
{
    IReadOnlyCollection<string> ILedgerEvent.Countries => Countries;
}

/// <summary>The data plane released bytes under a grant.</summary>
public sealed record GrantRedeemed(Guid GrantId, long Bytes, string Digest, DateTimeOffset RedeemedAt, IReadOnlyList<string> Countries) : ILedgerEvent
{
    IReadOnlyCollection<string> ILedgerEvent.Countries => Countries;
}

/// <summary>A grant stopped being valid before its expiry (dataset withdrawn, restricted, terms expired).</summary>
public sealed record GrantRevoked(Guid GrantId, Guid DatasetId, Guid JobId, string Reason, DateTimeOffset RevokedAt, IReadOnlyList<string> Countries) : ILedgerEvent
{
    IReadOnlyCollection<string> ILedgerEvent.Countries => Countries;
}
