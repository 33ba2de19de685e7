using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Decisions.RequestingAccess;
using BalticAI.Sovereignty.Api.Infrastructure.Telemetry;
using BalticAI.Sovereignty.Api.Ledger;
using BalticAI.Sovereignty.Api.Sites;
using BalticAI.Sovereignty.Api.TrainingJobs;
using JasperFx.Events;
using Marten;

namespace BalticAI.Sovereignty.Api.Decisions.Grants.Revoking;

/// <summary>Continuous authorization on a site's facts: a site amendment that withdraws a fact re-decides the grants on the site.</summary>
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

    /// <summary>Pure: why a grant re-decided on its site's amended facts must go, or null (<see cref="ReasonToRevokeRedecided"/>).</summary>
    public static string? ReasonToRevokeOnSite(PolicyVerdict? redecided, IReadOnlyList<JsonObject> recordedObligations) =>
        ReasonToRevokeRedecided(redecided, recordedObligations, OnSite);

    private static readonly RedecisionReasons OnSite = new(SiteFactsWithdrawn, SiteObligationsChanged);

    /// <summary>
    /// Pure: whether a grant's decision read the site's facts before an amendment withdrew one (and committed after
    /// the amendment's re-decisions ran), so it must be decided again. Grants recorded before the site version was kept (0) are not judged.
    /// </summary>
    public static bool ReadBeforeWithdrawal(long siteVersionRead, ComputeSite? site) =>
        siteVersionRead > 0 && site is not null && site.FactsWithdrawnInVersion > siteVersionRead;

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
        // A grant decided on the amended facts or later ones is not decided again (DecidedBeforeAmendment).
        var active = (await ActiveAsync(session, g => g.JobId.IsOneOf(jobs), now, ct))
            .Where(g => DecidedBeforeAmendment(g.SiteVersion, amended.SiteVersion)).ToList();
        if (active.Count == 0)
        {
            return;
        }
        var revocations = await RedecideAsync(session, active, await ActiveBundleAsync(session, ct), await RedecisionFacts.AsRecordedAsync(session, active, @event, ct),
            OnSite, EvaluationPurpose.SiteRedecision, ct);
        if (revocations.Count > 0)
        {
            await RevokeAsync(store, revocations, @event.ReadActor() ?? Policies.PolicySetup.BrokerActor, now, ct);
        }
    }
}
