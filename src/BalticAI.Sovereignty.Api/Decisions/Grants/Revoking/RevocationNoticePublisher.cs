using BalticAI.Sovereignty.Api.Infrastructure.Resilience;
using BalticAI.Sovereignty.Contracts.Grants;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;
using MassTransit;

namespace BalticAI.Sovereignty.Api.Decisions.Grants.Revoking;

/// <summary>
/// Tells the training system that holds a revoked grant, from the recorded <see cref="GrantRevoked"/>: a
/// revocation is in the ledger (and redemption refuses the grant) even while RabbitMQ is away, and the notice
/// follows when it is back. Marten saves this subscription's progress only after a page's notices were
/// published, so a restart repeats notices rather than losing them (training systems de-duplicate by grant id).
/// </summary>
public sealed class RevocationNoticePublisher : SubscriptionBase
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);
    private readonly IBus _bus;
    private readonly ILogger<RevocationNoticePublisher> _logger;

    public RevocationNoticePublisher(IBus bus, ILogger<RevocationNoticePublisher> logger)
    {
        _bus = bus;
        _logger = logger;
        Name = "GrantRevocationNotices";
        IncludeType<GrantRevoked>();
    }

    public override async Task<IChangeListener> ProcessEventsAsync(EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        var revoked = page.Events.Select(e => e.Data).OfType<GrantRevoked>().ToList();
        if (revoked.Count > 0)
        {
            // The grant projection is inline: each revoked grant's document was saved with its GrantRevoked.
            var grants = (await operations.LoadManyAsync<Grant>(cancellationToken, revoked.Select(r => r.GrantId).Distinct())).ToDictionary(g => g.Id);
            var notices = revoked.Where(r => grants.ContainsKey(r.GrantId)).Select(r => Notice(grants[r.GrantId], r)).ToList();
            await PublishUntilSentAsync(notices, cancellationToken);
        }
        return NullChangeListener.Instance;
    }

    public static GrantRevocationNotice Notice(Grant grant, GrantRevoked revoked) =>
        new(grant.Id, grant.DecisionId, grant.JobId, grant.DatasetId, grant.DatasetVersion, grant.TrainingSystem, revoked.Reason, revoked.RevokedAt);

    /// <summary>Never hands a failure to the daemon, whose error policy could skip the page: it waits for RabbitMQ instead.</summary>
    private Task PublishUntilSentAsync(IReadOnlyList<GrantRevocationNotice> notices, CancellationToken ct) =>
        new Backoff(TimeSpan.FromMilliseconds(100), MaxBackoff).RetryUntilDoneAsync(
            (_, token) => Task.WhenAll(notices.Select(n => _bus.Publish(n, token))),
            (e, attempt) => _logger.LogWarning("Publishing {Count} grant revocation notices failed (attempt {Attempt}): {Error}; retrying", notices.Count, attempt, e.Message),
            ct);
}
