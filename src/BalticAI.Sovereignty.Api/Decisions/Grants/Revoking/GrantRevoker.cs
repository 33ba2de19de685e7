using System.Linq.Expressions;
using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Infrastructure.Persistence;
using BalticAI.Sovereignty.Api.Infrastructure.Resilience;
using BalticAI.Sovereignty.Api.Infrastructure.Telemetry;
using BalticAI.Sovereignty.Api.Ledger;
using BalticAI.Sovereignty.Api.Policies.Lifecycle;
using BalticAI.Sovereignty.Api.Provenance.QueryingLineage;
using BalticAI.Sovereignty.Api.Sites;
using BalticAI.Sovereignty.Api.TrainingJobs;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;

namespace BalticAI.Sovereignty.Api.Decisions.Grants.Revoking;

/// <summary>
/// Follows the ledger: a withdrawn or restricted dataset, or terms amended to end sooner, revokes the
/// dataset's active grants, a withdrawn version those on that version (a withdrawal or restriction also those of every dataset derived from it, a
/// withdrawn version those on versions made from it, rule 11); other amended terms revoke the grants whose decisions, taken again on them, now deny or bind other
/// obligations (GrantRevoker.Terms.cs); a site amendment that withdraws a fact (an accreditation, a security class, a DPF certification)
/// revokes the active grants on that site whose decisions, taken again on the amended facts, now deny or bind
/// other obligations (GrantRevoker.Sites.cs); an activated bundle revokes the active grants decided under another one that
/// it, taken on them, denies or binds other obligations (GrantRevoker.Policies.cs); a closed job or a suspended site, its active grants (GrantRevoker.Jobs.cs); each with events on the grant and its job. <see cref="RevocationNoticePublisher"/> then tells the training
/// system that holds the grant, so recording does not wait for RabbitMQ. The subscription's progress is saved
/// after the revocations, so a crash repeats rather than loses them.
/// </summary>
public sealed partial class GrantRevoker : SubscriptionBase
{
    public const string SubscriptionName = "GrantRevocation";
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(1);
    private readonly IServiceProvider _services;
    private readonly TimeProvider _clock;

    /// <summary>The store is resolved when events arrive: it is being built when this is registered with it.</summary>
    public GrantRevoker(IServiceProvider services, TimeProvider clock)
    {
        _services = services;
        _clock = clock;
        Name = SubscriptionName;
        IncludeType<DatasetWithdrawn>();
        IncludeType<DatasetVersionWithdrawn>();
        IncludeType<DatasetRestricted>();
        IncludeType<DatasetTermsAmended>();
        IncludeType<GrantIssued>();
        IncludeType<ComputeSiteAmended>();
        IncludeType<PolicyBundleActivated>();
        IncludeType<TrainingJobClosed>();
        IncludeType<ComputeSiteSuspended>();
    }

    public override async Task<IChangeListener> ProcessEventsAsync(EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        foreach (var @event in page.Events.Where(e => e.Data is not GrantIssued))
        {
            if (@event.Data is ComputeSiteAmended amended)
            {
                await RevokeOnSiteAsync(@event, amended, cancellationToken);
            }
            else if (@event.Data is DatasetTermsAmended terms)
            {
                await RevokeOnTermsAsync(@event, terms, cancellationToken);
            }
            else if (@event.Data is PolicyBundleActivated activated)
            {
                await RevokeOnActivationAsync(@event, activated, cancellationToken);
            }
            else if (@event.Data is TrainingJobClosed closed)
            {
                await RevokeOnClosureAsync(@event, closed, cancellationToken);
            }
            else if (@event.Data is ComputeSiteSuspended suspended)
            {
                await RevokeOnSuspensionAsync(@event, suspended, cancellationToken);
            }
            else
            {
                await RevokeAsync(@event, cancellationToken);
            }
        }
        var issued = page.Events.Select(e => e.Data).OfType<GrantIssued>().ToList();
        if (issued.Count > 0)
        {
            await RevokeIssuedTooLateAsync(issued, cancellationToken);
        }
        return NullChangeListener.Instance;
    }

    /// <summary>
    /// Pure: why a grant must go as soon as it is recorded, or null. A decision reads its facts, then signs
    /// and commits; a withdrawal (of the dataset or its version), restriction or shortening of the terms, the closure
    /// of the job or the suspension of the site recorded in between finds no grant to revoke yet, so each issued grant
    /// is checked against its data, job and site as they now stand.
    /// </summary>
    public static string? ReasonToRevokeIssued(Grant grant, Dataset? dataset, IReadOnlyList<DerivationSource> sources, JobAndSite jobAndSite)
    {
        if (jobAndSite.JobClosure is { } closure)
        {
            return ReasonToRevokeOnClosure(closure.Outcome);
        }
        if (jobAndSite.SiteSuspension is { } suspension)
        {
            return ReasonToRevokeOnSuspension(suspension.Reason);
        }
        if (dataset is null)
        {
            return "dataset-withdrawn";
        }
        if (Inactive(dataset) is { } own)
        {
            return "dataset-" + own;
        }
        if (dataset.WithdrawalOf(grant.DatasetVersion) is { } version)
        {
            return VersionWithdrawn(version.Reason);
        }
        if (sources.Select(s => Inactive(s.State)).FirstOrDefault(r => r is not null) is { } inherited)
        {
            return "source-dataset-" + inherited;
        }
        if (WithdrawnSourceVersion(dataset, grant.DatasetVersion, sources) is { VersionWithdrawal: { } withdrawn })
        {
            return SourceVersionWithdrawn(withdrawn.Reason);
        }
        return dataset.Terms.Use.Expires is { } end && EndOf(end) < grant.ExpiresAt ? "terms-expire-sooner" : null;
    }

    /// <summary>Worded as the dataset's own event is by <see cref="ReasonToRevoke"/>, whichever of the two records the revocation.</summary>
    private static string? Inactive(Dataset dataset) => dataset switch
    {
        { Status: DatasetStatus.Withdrawn, Withdrawal: { } w } => "withdrawn:" + DatasetView.Token(w.Reason),
        { Status: DatasetStatus.Restricted, Restriction: { } r } => "restricted:" + DatasetView.Token(r.Reason),
        { Status: DatasetStatus.Active } => null,
        _ => DatasetView.Token(dataset.Status),
    };

    private async Task RevokeIssuedTooLateAsync(IReadOnlyList<GrantIssued> issued, CancellationToken ct)
    {
        var store = _services.GetRequiredService<IDocumentStore>();
        await using var session = store.QuerySession();
        var now = _clock.GetUtcNow();
        // Built from the events, not loaded: nearly every grant stands, and RevokeAsync re-reads the few that do not.
        var grants = issued.Select(GrantProjection.Create).Where(g => !g.IsExpired(now)).ToList();
        if (grants.Count == 0)
        {
            return;
        }
        var datasets = (await session.LoadManyAsync<DatasetView>(ct, grants.Select(g => g.DatasetId).Distinct())).ToDictionary(v => v.Id);
        var states = datasets.ToDictionary(d => d.Key, d => d.Value.State);
        var sources = await DerivedDatasets.SourcesAsync(session, states, ct);
        var sites = (await session.LoadManyAsync<ComputeSite>(ct, grants.Select(g => g.SiteId).Distinct())).ToDictionary(s => s.Id);
        var jobs = (await session.LoadManyAsync<TrainingJob>(ct, grants.Select(g => g.JobId).Distinct())).ToDictionary(j => j.Id);
        var revocations = new List<(Grant Grant, string Reason, LateCause? Cause)>();
        var readBeforeWithdrawal = new List<Grant>();
        var readBeforeAmendment = new List<Grant>();
        var underOtherBundle = new List<Grant>();
        var active = (await session.LoadAsync<ActivePolicyPointer>(ActivePolicyPointer.SingletonId, ct))?.Digest;
        foreach (var grant in grants)
        {
            var grantSources = sources.GetValueOrDefault(grant.DatasetId) ?? [];
            if (ReasonToRevokeIssued(grant, states.GetValueOrDefault(grant.DatasetId), grantSources, JobAndSite.Of(jobs.GetValueOrDefault(grant.JobId), sites.GetValueOrDefault(grant.SiteId))) is { } reason)
            {
                revocations.Add((grant, reason, CauseOf(reason, grant, states.GetValueOrDefault(grant.DatasetId), grantSources)));
            }
            else if (ReadBeforeTermsAmendment(grant.DatasetRevision, datasets.GetValueOrDefault(grant.DatasetId)))
            {
                readBeforeAmendment.Add(grant);
            }
            else if (ReadBeforeWithdrawal(grant.SiteVersion, sites.GetValueOrDefault(grant.SiteId)))
            {
                readBeforeWithdrawal.Add(grant);
            }
            else if (DecidedUnderAnotherBundle(grant, active))
            {
                underOtherBundle.Add(grant);
            }
        }
        // On the site and terms as they stand now, under the bundle in force: the decision read older ones, or was taken
        // under a bundle an activation replaced before it committed, and missed at least one change (a grant that missed
        // several is worded as the first list it is in).
        var current = new RedecisionFacts(sites, states);
        // The pointer read above: the grants were sorted by it, and are judged under the bundle it names.
        var bundle = readBeforeAmendment.Count + readBeforeWithdrawal.Count + underOtherBundle.Count > 0 ? await BundleAsync(active, ct) : null;
        // Each stamped, as the revocation the change causes directly is, with who changed what the grant missed.
        revocations.AddRange((await RedecideAsync(session, readBeforeAmendment, bundle, current, OnTerms, EvaluationPurpose.TermsRedecision, ct))
            .Select(r => (r.Grant, r.Reason, (LateCause?)new LateCause(r.Grant.DatasetId, typeof(DatasetTermsAmended)))));
        revocations.AddRange((await RedecideAsync(session, readBeforeWithdrawal, bundle, current, OnSite, EvaluationPurpose.SiteRedecision, ct))
            .Select(r => (r.Grant, r.Reason, (LateCause?)new LateCause(r.Grant.SiteId, typeof(ComputeSiteAmended)))));
        revocations.AddRange((await RedecideAsync(session, underOtherBundle, bundle, current, OnPolicy, EvaluationPurpose.PolicyRedecision, ct))
            .Select(r => (r.Grant, r.Reason, (LateCause?)new LateCause(PolicyLifecycle.StreamId, typeof(PolicyBundleActivated)))));
        foreach (var (actor, group) in await ByCauserAsync(session, revocations, ct))
        {
            await RevokeAsync(store, group, actor, now, ct);
        }
    }

    /// <summary>Pure: the reason a dataset event revokes a grant, or null when it does not.</summary>
    public static string? ReasonToRevoke(object datasetEvent, Grant grant) => datasetEvent switch
    {
        DatasetWithdrawn w => "dataset-withdrawn:" + DatasetView.Token(w.Reason),
        DatasetRestricted r => "dataset-restricted:" + DatasetView.Token(r.Reason),
        DatasetVersionWithdrawn v when v.Number == grant.DatasetVersion => VersionWithdrawn(v.Reason),
        DatasetTermsAmended { Terms.Use.Expires: { } expires } when EndOf(expires) < grant.ExpiresAt => "terms-expire-sooner",
        _ => null,
    };

    /// <summary>
    /// Records the revocations on grant and job streams. Each grant is re-read for writing,
    /// so a grant revoked meanwhile (by the sweeper, another node) is not revoked twice. A grant that
    /// changed between that read and the commit (redeemed meanwhile, or revoked by another revoker) makes
    /// the whole attempt read again, after a short back-off: giving way instead would leave a redeemed grant
    /// active. Like the feed publisher, it never gives up (a failed page could pause the subscription and
    /// with it every later revocation); only cancellation stops it. Returns how many it recorded.
    /// </summary>
    public static Task<int> RevokeAsync(IDocumentStore store, IReadOnlyList<(Grant Grant, string Reason)> candidates, Infrastructure.Identity.Actor actor, DateTimeOffset now, CancellationToken ct) =>
        new Backoff(TimeSpan.FromMilliseconds(10), MaxBackoff).RetryUntilDoneAsync(
            async (_, token) =>
            {
                await using var session = store.LightweightSession();
                var revocations = new List<(IEventStream<Grant> Stream, string Reason)>();
                foreach (var (grant, reason) in candidates)
                {
                    var stream = await session.Events.FetchForWriting<Grant>(grant.Id, token);
                    if (stream.Aggregate is { Status: GrantStatus.Active })
                    {
                        revocations.Add((stream, reason));
                    }
                }
                if (revocations.Count == 0)
                {
                    return 0;
                }
                foreach (var (stream, reason) in revocations)
                {
                    AppendRevocation(session, stream, reason, actor, now);
                }
                await session.CommitAsync(token);
                return revocations.Count;
            },
            // Expected, so not logged: read again, and a grant revoked meanwhile is skipped, one redeemed meanwhile is revoked now.
            (_, _) => { },
            ct,
            retryOn: e => e is JasperFx.ConcurrencyException);

    /// <summary>A revocation as every revoker records it: on the grant, and on its job, each stamped with who revoked. Returns the grant's event.</summary>
    public static GrantRevoked AppendRevocation(IDocumentSession session, IEventStream<Grant> stream, string reason, Infrastructure.Identity.Actor actor, DateTimeOffset now)
    {
        var grant = stream.Aggregate!;
        var revoked = new GrantRevoked(grant.Id, grant.DatasetId, grant.JobId, reason, now, grant.Countries);
        stream.AppendOne(session.Events.BuildEvent(revoked).Stamp(actor));
        session.Events.Append(grant.JobId, session.Events.BuildEvent(new JobGrantRevoked(grant.JobId, grant.Id, grant.DatasetId, reason, grant.Countries)).Stamp(actor));
        return revoked;
    }

    /// <summary>The reason of a grant on a version withdrawn alone (the dataset stays).</summary>
    public static string VersionWithdrawn(WithdrawalReason reason) => "dataset-version-withdrawn:" + DatasetView.Token(reason);

    public static DateTimeOffset EndOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MaxValue), TimeSpan.Zero);

    private async Task RevokeAsync(IEvent @event, CancellationToken ct)
    {
        var datasetId = @event.StreamId;
        var store = _services.GetRequiredService<IDocumentStore>();
        await using var session = store.QuerySession();
        var now = _clock.GetUtcNow();
        var revocations = (await ActiveAsync(session, g => g.DatasetId == datasetId, now, ct))
            .Select(g => (Grant: g, Reason: ReasonToRevoke(@event.Data, g)))
            .Where(r => r.Reason is not null)
            .ToList();
        if (@event.Data is DatasetVersionWithdrawn version)
        {
            revocations.AddRange(await RevokeDerivedFromVersionAsync(session, datasetId, version, now, ct));
        }
        if (ReasonToRevokeDerived(@event.Data) is { } inherited)
        {
            var derived = (await DerivedDatasets.FindAsync(session, datasetId, ct)).Select(d => d.View.Id).ToArray();
            if (derived.Length > 0)
            {
                revocations.AddRange((await ActiveAsync(session, g => g.DatasetId.IsOneOf(derived), now, ct)).Select(g => (Grant: g, Reason: (string?)inherited)));
            }
        }
        if (revocations.Count == 0)
        {
            return;
        }
        await RevokeAsync(store, revocations!, @event.ReadActor() ?? Policies.PolicySetup.BrokerActor, now, ct);
    }

    /// <summary>The grants <paramref name="of"/> selects that are active and not yet expired at <paramref name="now"/>.</summary>
    private static async Task<List<Grant>> ActiveAsync(IQuerySession session, Expression<Func<Grant, bool>> of, DateTimeOffset now, CancellationToken ct) =>
        (await session.Query<Grant>().Where(of).Where(g => g.Status == GrantStatus.Active).ToListAsync(ct)).Where(g => !g.IsExpired(now)).ToList();
}
