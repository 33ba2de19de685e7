using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using BalticAI.Sovereignty.Api.Decisions;
using BalticAI.Sovereignty.Api.Decisions.Grants.Revoking;
using BalticAI.Sovereignty.Api.Decisions.RequestingAccess;
using BalticAI.Sovereignty.Api.Policies.Lifecycle;

namespace BalticAI.Sovereignty.Api.Policies.AssessingImpact;

/// <summary>
/// What activating a candidate bundle would have changed: the recorded decisions of the sample taken again under it,
/// each on its recorded input, compared with what was recorded. <see cref="ActiveVersion"/> names the activation of the
/// bundle it was compared with: sent as If-Match when activating the candidate, it makes sure that bundle is still the one
/// replaced. <see cref="Grants"/> is what the activation would do to the active grants now (<see cref="GrantsPreview"/>).
/// </summary>
public sealed record ImpactReport(
    BundleReference Candidate,
    BundleTests Tests,
    BundleReference Active,
    long ActiveVersion,
    string Engine,
    ImpactScope Scope,
    ImpactSummary Summary,
    IReadOnlyList<DecisionImpact> Changes,
    GrantsPreview Grants);

/// <summary>
/// The decisions taken again: <see cref="Selected"/> were the newest matching ones, up to <see cref="Limit"/> (all that
/// match when <see cref="EveryMatchingDecision"/>); <see cref="Evaluated"/> of them were evaluated before the time
/// budget ran out (<see cref="StoppedBecause"/> says so when it did).
/// </summary>
public sealed record ImpactScope(int Limit, int Selected, int Evaluated, bool EveryMatchingDecision,
    DateTimeOffset? Oldest, DateTimeOffset? Newest, string? StoppedBecause);

/// <summary>
/// How many evaluated decisions the candidate would have decided alike, and how many otherwise, by kind;
/// <see cref="ActiveGrants"/> of the changed decisions hold a grant that is still active, which activation revokes (it
/// decides every active grant again, GrantRevoker.Policies.cs).
/// </summary>
public sealed record ImpactSummary(int Unchanged, int NowDenied, int NowAllowed, int ObligationsChanged, int ReasonsChanged, int Failed, int ActiveGrants);

/// <summary>A changed decision's grant as it stands when the report is written: active, expired or revoked.</summary>
public sealed record GrantState(Guid Id, string Status, DateTimeOffset ExpiresAt)
{
    public const string Active = "active";

    /// <summary>Pure: what <paramref name="grant"/> is at <paramref name="now"/>.</summary>
    public static GrantState Of(Decisions.Grants.Grant grant, DateTimeOffset now) => new(grant.Id,
        grant.Status == Decisions.Grants.GrantStatus.Revoked ? "revoked" : grant.IsExpired(now) ? "expired" : Active, grant.ExpiresAt);
}

/// <summary>One recorded decision the candidate decides otherwise, or cannot decide.</summary>
public sealed record DecisionImpact(
    Guid DecisionId,
    string Change,
    DateTimeOffset DecidedAt,
    Guid JobId,
    Guid DatasetId,
    int Version,
    string TrainingSystem,
    GrantState? Grant,
    BundleReference Bundle,
    ImpactOutcome Recorded,
    ImpactOutcome Candidate);

/// <summary>An outcome by its rules: the messages may be reworded without changing a decision. Errors only when the candidate failed.</summary>
public sealed record ImpactOutcome(
    bool? Allowed,
    IReadOnlyList<string> Rules,
    IReadOnlyList<JsonObject> Obligations,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Errors = null)
{
    public static ImpactOutcome Of(bool allowed, IEnumerable<DecisionReason> reasons, IReadOnlyList<JsonObject> obligations) =>
        new(allowed, RulesOf(reasons), obligations);

    public static ImpactOutcome Failed(IReadOnlyList<string> errors) => new(null, [], [], errors);

    /// <summary>The rules that deny, each once, sorted: the reasons of one rule for several facts are one rule here.</summary>
    public static List<string> RulesOf(IEnumerable<DecisionReason> reasons) =>
        reasons.Select(r => r.Rule).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
}

/// <summary>The kinds of change, as <see cref="DecisionImpact.Change"/> names them.</summary>
public static class ImpactChange
{
    public const string NowDenied = "now-denied";
    public const string NowAllowed = "now-allowed";
    public const string ObligationsChanged = "obligations-changed";
    public const string ReasonsChanged = "reasons-changed";
    public const string Failed = "failed";

    /// <summary>
    /// Pure: how <paramref name="candidate"/> differs from what <paramref name="recorded"/> decided, or null when it
    /// decides alike: the same outcome, the same denying rules, the same duties (as sets, as a re-decided grant is judged).
    /// </summary>
    public static string? Of(AccessDecided recorded, PolicyVerdict candidate) => (recorded.Allowed, candidate.Allowed) switch
    {
        (true, false) => NowDenied,
        (false, true) => NowAllowed,
        (true, true) => GrantRevoker.SameObligations(recorded.Obligations, candidate.Obligations) ? null : ObligationsChanged,
        _ => ImpactOutcome.RulesOf(recorded.Reasons).SequenceEqual(ImpactOutcome.RulesOf(candidate.Reasons), StringComparer.Ordinal) ? null : ReasonsChanged,
    };
}
