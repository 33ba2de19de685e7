using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Decisions.PolicyInput;
using BalticAI.Sovereignty.Api.Decisions.RequestingAccess;
using BalticAI.Sovereignty.Api.Infrastructure.Telemetry;
using BalticAI.Sovereignty.Api.Policies.Bundles;
using BalticAI.Sovereignty.Api.Policies.Engines;
using BalticAI.Sovereignty.Api.Policies.Lifecycle;
using BalticAI.Sovereignty.Api.Sites;
using BalticAI.Sovereignty.Security;
using JasperFx.Events;
using Marten;

namespace BalticAI.Sovereignty.Api.Decisions.Grants.Revoking;

/// <summary>What a re-decided grant is revoked with: when it now denies (followed by `:` and the rules), and when it allows with other obligations.</summary>
public sealed record RedecisionReasons(string Denied, string ObligationsChanged);

/// <summary>
/// Continuous authorization: when recorded facts a decision read change (a site's, a dataset's terms), or another bundle
/// is activated, each active grant concerned is decided again on its decision's recorded input, the changed facts
/// replaced, under the bundle active then, and only the grants that would now be denied, or allowed with other
/// obligations, are revoked. A grant no new answer can be had for goes (fail closed).
/// </summary>
public sealed partial class GrantRevoker
{
    /// <summary>
    /// Pure: why a grant carrying <paramref name="recordedObligations"/>, re-decided on changed facts, must go, or null
    /// when it stands. No verdict (the recorded decision or bundle is missing, the evaluation failed or timed out)
    /// revokes: no answer is no allow.
    /// </summary>
    public static string? ReasonToRevokeRedecided(PolicyVerdict? redecided, IReadOnlyList<JsonObject> recordedObligations, RedecisionReasons reasons)
    {
        if (Stands(redecided, recordedObligations))
        {
            return null;
        }
        if (redecided is { Allowed: true })
        {
            return reasons.ObligationsChanged;
        }
        var rules = redecided?.Reasons.Select(r => r.Rule).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList() ?? [];
        return rules.Count == 0 ? reasons.Denied : reasons.Denied + ":" + string.Join(',', rules);
    }

    /// <summary>
    /// Pure: whether a grant carrying <paramref name="recordedObligations"/> stands on <paramref name="redecided"/>. Any
    /// difference of obligations ends it, looser as well as stricter: the data plane enforces the grant's obligations,
    /// so a grant must say what the policy now says. A missing duty would release bytes more freely than the policy
    /// allows, and telling which change is only looser would need a meaning of each obligation type the broker does not
    /// have. Asking again issues a grant with the obligations of now. Compared as sets of canonical JSON: the grant's
    /// document round trip may reorder an obligation's members.
    /// </summary>
    public static bool Stands(PolicyVerdict? redecided, IReadOnlyList<JsonObject> recordedObligations) =>
        redecided is { Allowed: true } && SameObligations(redecided.Obligations, recordedObligations);

    /// <summary>Whether two decisions bind the same duties: obligations compared as sets of canonical JSON.</summary>
    public static bool SameObligations(IEnumerable<JsonObject> first, IEnumerable<JsonObject> second) =>
        ObligationSet(first).SetEquals(ObligationSet(second));

    private static HashSet<string> ObligationSet(IEnumerable<JsonObject> obligations) =>
        obligations.Select(CanonicalJson.Sha256).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// The grants among <paramref name="grants"/> that their recorded decisions, taken again under <paramref name="bundle"/>
    /// with the site and the dataset of each as <paramref name="facts"/> give them, no longer allow as granted, each with
    /// its reason. Both facts are rebuilt whichever changed: a site that lost an accreditation and terms that came to
    /// require it each allow when judged against the other's facts of the decision's day. A grant whose site or dataset
    /// is missing from <paramref name="facts"/>, or with no bundle, gets no verdict. Reading the ledger may throw, and the
    /// subscription then retries the page; only the evaluation's failures are answered by revoking.
    /// </summary>
    private Task<List<(Grant Grant, string Reason)>> RedecideAsync(IQuerySession session, IReadOnlyList<Grant> grants,
        PolicyBundle? bundle, RedecisionFacts facts, RedecisionReasons reasons, EvaluationPurpose purpose, CancellationToken ct)
    {
        var redecision = _services.GetRequiredService<GrantRedecision>();
        return RedecideAsync(session, grants, facts, reasons,
            bundle is null ? null : (decided, site, dataset) => redecision.TakeAgainAsync(bundle, decided, site, dataset, purpose, ct), ct);
    }

    /// <summary><see cref="RedecideAsync(IQuerySession, IReadOnlyList{Grant}, PolicyBundle?, RedecisionFacts, RedecisionReasons, EvaluationPurpose, CancellationToken)"/> with the decision taken again by <paramref name="takeAgain"/> (null: no bundle).</summary>
    private static async Task<List<(Grant Grant, string Reason)>> RedecideAsync(IQuerySession session, IReadOnlyList<Grant> grants, RedecisionFacts facts,
        RedecisionReasons reasons, Func<AccessDecided, ComputeSite, Dataset, Task<PolicyVerdict?>>? takeAgain, CancellationToken ct)
    {
        if (grants.Count == 0)
        {
            return [];
        }
        var ids = grants.Select(g => g.DecisionId).Distinct().ToArray();
        // A decision is the only event of its own stream, whose id is the decision's: found by the stream
        // index (mt_events has none on the event id, so a lookup by event id would scan the whole ledger).
        var decisions = (await session.Events.QueryAllRawEvents().Where(e => ids.Contains(e.StreamId)).ToListAsync(ct))
            .Select(e => e.Data)
            .OfType<AccessDecided>()
            .ToDictionary(d => d.DecisionId);
        var revocations = new List<(Grant Grant, string Reason)>();
        foreach (var grant in grants)
        {
            PolicyVerdict? verdict = null;
            if (takeAgain is not null && facts.Sites.GetValueOrDefault(grant.SiteId) is { } site && facts.Datasets.GetValueOrDefault(grant.DatasetId) is { } dataset
                && decisions.TryGetValue(grant.DecisionId, out var decided))
            {
                verdict = await takeAgain(decided, site, dataset);
            }
            if (ReasonToRevokeRedecided(verdict, grant.Obligations, reasons) is { } reason)
            {
                revocations.Add((grant, reason));
            }
        }
        return revocations;
    }

    /// <summary>
    /// The bundle recorded as active when the page is read, whichever bundle a grant was decided under: a grant stands
    /// only as the policy in force gives it, and an activation has decided again those decided under an earlier one.
    /// Null when none is recorded, which revokes (no answer is no allow).
    /// </summary>
    private async Task<PolicyBundle?> ActiveBundleAsync(IQuerySession session, CancellationToken ct) =>
        await BundleAsync((await session.LoadAsync<ActivePolicyPointer>(ActivePolicyPointer.SingletonId, ct))?.Digest, ct);

    /// <summary>The recorded bundle <paramref name="digest"/> names; null for none.</summary>
    private async Task<PolicyBundle?> BundleAsync(string? digest, CancellationToken ct) =>
        digest is null ? null : await _services.GetRequiredService<PolicyLifecycle>().FindAsync(digest, ct);

    /// <summary>The sites and datasets the grants being decided again are judged on, by id.</summary>
    private sealed record RedecisionFacts(IReadOnlyDictionary<Guid, ComputeSite> Sites, IReadOnlyDictionary<Guid, Dataset> Datasets)
    {
        /// <summary>As they stand now.</summary>
        public static async Task<RedecisionFacts> CurrentAsync(IQuerySession session, IReadOnlyList<Grant> grants, CancellationToken ct) =>
            new((await session.LoadManyAsync<ComputeSite>(ct, grants.Select(g => g.SiteId).Distinct())).ToDictionary(s => s.Id),
                (await session.LoadManyAsync<DatasetView>(ct, grants.Select(g => g.DatasetId).Distinct())).ToDictionary(v => v.Id, v => v.State));

        /// <summary>
        /// As they stood when <paramref name="amendment"/> was recorded, not as they stand when it is read: a later
        /// amendment, withdrawal or restriction is judged on its own and revokes with its own reason.
        /// </summary>
        public static async Task<RedecisionFacts> AsRecordedAsync(IQuerySession session, IReadOnlyList<Grant> grants, IEvent amendment, CancellationToken ct) =>
            new(await AsOfAsync<ComputeSite>(session, grants.Select(g => g.SiteId), amendment.Timestamp, ct),
                await AsOfAsync<Dataset>(session, grants.Select(g => g.DatasetId), amendment.Timestamp, ct));

        private static async Task<Dictionary<Guid, T>> AsOfAsync<T>(IQuerySession session, IEnumerable<Guid> ids, DateTimeOffset timestamp, CancellationToken ct)
            where T : class
        {
            var states = new Dictionary<Guid, T>();
            foreach (var id in ids.Distinct())
            {
                if (await session.Events.AggregateStreamAsync<T>(id, timestamp: timestamp, token: ct) is { } state)
                {
                    states[id] = state;
                }
            }
            return states;
        }
    }
}
