using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Decisions.RequestingAccess;
using BalticAI.Sovereignty.Api.Infrastructure.Telemetry;
using BalticAI.Sovereignty.Api.Ledger;
using JasperFx.Events;
using Marten;

namespace BalticAI.Sovereignty.Api.Decisions.Grants.Revoking;

/// <summary>
/// Continuous authorization on a dataset's terms: an owner who narrows them (permitted purposes, restrictions, a
/// licence, evidence withdrawn) expects the grants already issued to follow, as they follow a site that loses a fact.
/// Terms that end before a grant does revoke it as before (`terms-expire-sooner`); every other active grant on the
/// dataset is decided again on the amended terms.
/// </summary>
public sealed partial class GrantRevoker
{
    /// <summary>
    /// The reason of a grant whose re-decision on its dataset's amended terms denies; followed by `:` and the rules that
    /// now deny (<see cref="ReasonToRevokeOnTerms"/>), alone when the grant could not be decided again.
    /// </summary>
    public const string TermsAmended = "dataset-terms-amended";

    /// <summary>The reason of a grant whose re-decision on the amended terms still allows, with other obligations.</summary>
    public const string DatasetObligationsChanged = "dataset-obligations-changed";

    private static readonly RedecisionReasons OnTerms = new(TermsAmended, DatasetObligationsChanged);

    /// <summary>Pure: why a grant re-decided on its dataset's amended terms must go, or null (<see cref="ReasonToRevokeRedecided"/>).</summary>
    public static string? ReasonToRevokeOnTerms(PolicyVerdict? redecided, IReadOnlyList<JsonObject> recordedObligations) =>
        ReasonToRevokeRedecided(redecided, recordedObligations, OnTerms);

    /// <summary>
    /// Pure: whether a grant's decision read its dataset before an amendment of its terms (and committed after the
    /// amendment's re-decisions ran), so it must be decided again. Grants recorded before the revision was kept (0) are not judged.
    /// </summary>
    public static bool ReadBeforeTermsAmendment(long datasetRevisionRead, DatasetView? dataset) =>
        datasetRevisionRead > 0 && dataset is not null && dataset.TermsAmendedInRevision > datasetRevisionRead;

    /// <summary>
    /// Pure: whether a grant's decision read its dataset before the amendment that made <paramref name="amendmentRevision"/>
    /// (the dataset stream's version, which the dataset view's revision counts), so that amendment must decide it again.
    /// A grant decided on the amended terms or later ones is not: the revoker may read the amendment after such a grant
    /// was issued (a backlog), and judging it on the facts as they stood at the amendment would find its site (or, for a
    /// site amendment, its dataset) missing if registered since, and revoke it. Grants recorded before the revision read
    /// was kept (0) are decided again.
    /// </summary>
    public static bool DecidedBeforeAmendment(long revisionRead, long amendmentRevision) =>
        revisionRead == 0 || revisionRead < amendmentRevision;

    private async Task RevokeOnTermsAsync(IEvent @event, DatasetTermsAmended amended, CancellationToken ct)
    {
        var store = _services.GetRequiredService<IDocumentStore>();
        await using var session = store.QuerySession();
        var now = _clock.GetUtcNow();
        var active = (await ActiveAsync(session, g => g.DatasetId == amended.DatasetId, now, ct))
            .Where(g => DecidedBeforeAmendment(g.DatasetRevision, @event.Version)).ToList();
        if (active.Count == 0)
        {
            return;
        }
        var revocations = new List<(Grant Grant, string Reason)>();
        var standing = new List<Grant>();
        foreach (var grant in active)
        {
            if (ReasonToRevoke(amended, grant) is { } sooner)
            {
                revocations.Add((grant, sooner));
            }
            else
            {
                standing.Add(grant);
            }
        }
        revocations.AddRange(await RedecideAsync(session, standing, await ActiveBundleAsync(session, ct), await RedecisionFacts.AsRecordedAsync(session, standing, @event, ct),
            OnTerms, EvaluationPurpose.TermsRedecision, ct));
        if (revocations.Count > 0)
        {
            await RevokeAsync(store, revocations, @event.ReadActor() ?? Policies.PolicySetup.BrokerActor, now, ct);
        }
    }
}
