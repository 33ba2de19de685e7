using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Decisions.PolicyInput;
using BalticAI.Sovereignty.Api.Decisions.RequestingAccess;
using BalticAI.Sovereignty.Api.Infrastructure.Telemetry;
using BalticAI.Sovereignty.Api.Ledger;
using BalticAI.Sovereignty.Api.Policies.Bundles;
using BalticAI.Sovereignty.Api.Policies.Engines;
using BalticAI.Sovereignty.Api.Policies.Lifecycle;
using BalticAI.Sovereignty.Api.Sites;
using BalticAI.Sovereignty.Api.TrainingJobs;
using BalticAI.Sovereignty.Security;
using JasperFx.Events;
using Marten;

namespace BalticAI.Sovereignty.Api.Decisions.Grants.Revoking;

/// <summary>
/// Continuous authorization on a site's facts: when a site withdraws a fact, each active grant on it is decided
/// again as its decision was (recorded input and bundle), the site's facts replaced by the amended ones, and
/// only the grants that would now be denied, or allowed with other obligations, are revoked. A grant no new answer
/// can be had for goes (fail closed).
/// </summary>
public sealed partial class GrantRevoker
{
    /// <summary>
    /// The reason of a grant revoked because its site withdrew a fact; followed by `:` and the rules that now deny
    /// (<see cref="ReasonToRevokeOnSite"/>), alone when the grant could not be decided again.
    /// </summary>
    public const string SiteFactsWithdrawn = "site-facts-withdrawn";

    /// <summary>
    /// The reason of a grant whose re-decision on its site's amended facts still allows, but binds other obligations
    /// than the grant carries (<see cref="ReasonToRevokeOnSite"/>).
    /// </summary>
    public const string SiteObligationsChanged = "site-obligations-changed";

    /// <summary>
    /// Pure: why a grant carrying <paramref name="recordedObligations"/>, re-decided on its site's amended facts, must
    /// go, or null when it stands. No verdict (the recorded decision or bundle is missing, the evaluation failed or
    /// timed out) revokes: no answer is no allow.
    /// </summary>
    public static string? ReasonToRevokeOnSite(PolicyVerdict? redecided, IReadOnlyList<JsonObject> recordedObligations)
    {
        if (redecided is { Allowed: true })
        {
            // Any difference revokes, looser as well as stricter: the data plane enforces the grant's obligations, so
            // a grant must say what the policy now says. A missing duty would release bytes more freely than the
            // policy allows, and telling which change is only looser would need a meaning of each obligation type the
            // broker does not have. Asking again issues a grant with the obligations of now. Compared as sets of
            // canonical JSON: the grant's document round trip may reorder an obligation's members.
            return ObligationSet(redecided.Obligations).SetEquals(ObligationSet(recordedObligations)) ? null : SiteObligationsChanged;
        }
        var rules = redecided?.Reasons.Select(r => r.Rule).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList() ?? [];
        return rules.Count == 0 ? SiteFactsWithdrawn : SiteFactsWithdrawn + ":" + string.Join(',', rules);
    }

    /// <summary>
    /// Pure: whether a grant's decision read the site's facts before an amendment withdrew one (and committed after
    /// the amendment's re-decisions ran), so it must be decided again. Grants recorded before the site version was kept (0) are not judged.
    /// </summary>
    public static bool ReadBeforeWithdrawal(long siteVersionRead, ComputeSite? site) =>
        siteVersionRead > 0 && site is not null && site.FactsWithdrawnInVersion > siteVersionRead;

    private static HashSet<string> ObligationSet(IEnumerable<JsonObject> obligations) =>
        obligations.Select(CanonicalJson.Sha256).ToHashSet(StringComparer.Ordinal);

    private async Task RevokeOnSiteAsync(IEvent @event, ComputeSiteAmended amended, CancellationToken ct)
    {
        if (amended.Withdrawn.Count == 0)
        {
            return;
        }
        var store = _services.GetRequiredService<IDocumentStore>();
        await using var session = store.QuerySession();
        var now = _clock.GetUtcNow();
        // Through the jobs on the site: grants are indexed by job, and an index on their site would cost every decision.
        var jobs = (await session.Query<TrainingJob>().Where(j => j.SiteId == amended.SiteId).Select(j => j.Id).ToListAsync(ct)).ToArray();
        if (jobs.Length == 0)
        {
            return;
        }
        var active = (await session.Query<Grant>().Where(g => g.JobId.IsOneOf(jobs) && g.Status == GrantStatus.Active).ToListAsync(ct))
            .Where(g => !g.IsExpired(now))
            .ToList();
        if (active.Count == 0)
        {
            return;
        }
        // The facts as this amendment left them, not as the site stands when the event is read: every later
        // amendment that withdraws a fact is followed by re-decisions of its own.
        var site = (await session.LoadAsync<ComputeSite>(amended.SiteId, ct))?.Apply(amended);
        var revocations = await RedecideOnSiteAsync(session, active, site, ct);
        if (revocations.Count > 0)
        {
            await RevokeAsync(store, revocations, @event.ReadActor() ?? Policies.PolicySetup.BrokerActor, now, ct);
        }
    }

    /// <summary>
    /// The grants among <paramref name="grants"/> (all on one site) that their recorded decisions, taken again on
    /// <paramref name="site"/>'s facts, no longer allow as granted, each with its reason. Reading the ledger may throw, and the
    /// subscription then retries the page; only the evaluation's failures are answered by revoking.
    /// </summary>
    private async Task<List<(Grant Grant, string Reason)>> RedecideOnSiteAsync(IQuerySession session, IReadOnlyList<Grant> grants, ComputeSite? site, CancellationToken ct)
    {
        var lifecycle = _services.GetRequiredService<PolicyLifecycle>();
        // The broker's own engine even when an OPA server decides: it holds any recorded bundle, and an OPA
        // server that is briefly down must not revoke every grant on the site.
        var engine = _services.GetRequiredService<EmbeddedRegoEngine>();
        var ids = grants.Select(g => g.DecisionId).Distinct().ToArray();
        // A decision is the only event of its own stream, whose id is the decision's: found by the stream
        // index (mt_events has none on the event id, so a lookup by event id would scan the whole ledger).
        var decisions = (await session.Events.QueryAllRawEvents().Where(e => ids.Contains(e.StreamId)).ToListAsync(ct))
            .Select(e => e.Data)
            .OfType<AccessDecided>()
            .ToDictionary(d => d.DecisionId);
        var bundles = new Dictionary<string, PolicyBundle?>(StringComparer.Ordinal);
        var revocations = new List<(Grant Grant, string Reason)>();
        foreach (var grant in grants)
        {
            PolicyVerdict? verdict = null;
            if (site is not null && decisions.TryGetValue(grant.DecisionId, out var decided))
            {
                if (!bundles.TryGetValue(decided.BundleDigest, out var bundle))
                {
                    bundles[decided.BundleDigest] = bundle = await lifecycle.FindAsync(decided.BundleDigest, ct);
                }
                verdict = bundle is null ? null : await RedecideAsync(engine, bundle, decided, site, ct);
            }
            if (ReasonToRevokeOnSite(verdict, grant.Obligations) is { } reason)
            {
                revocations.Add((grant, reason));
            }
        }
        return revocations;
    }

    /// <summary>As a replay evaluates (ReplayDecisionEndpoint), with the site's facts replaced; null when the engine gives no answer.</summary>
    private async Task<PolicyVerdict?> RedecideAsync(IPolicyEngine engine, PolicyBundle bundle, AccessDecided decided, ComputeSite site, CancellationToken ct)
    {
        var input = PolicyInputBuilder.WithSite(decided.Input, site);
        try
        {
            return PolicyVerdict.Interpret(await _services.GetRequiredService<BrokerTelemetry>().EvaluateAsync(engine, bundle, PolicyBundle.DecisionQuery, input, EvaluationPurpose.SiteRedecision, ct)).WithinGrantWindow(input);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            _services.GetRequiredService<ILogger<GrantRevoker>>().LogWarning(e,
                "Decision {DecisionId} could not be taken again under bundle {Digest} on the amended facts of site {SiteId}; its grant is revoked",
                decided.DecisionId, bundle.Digest, site.Id);
            return null;
        }
    }
}
