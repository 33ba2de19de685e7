using BalticAI.Sovereignty.Api.Infrastructure.Messaging;
using BalticAI.Sovereignty.Contracts.Grants;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;
using MassTransit;

namespace BalticAI.Sovereignty.Api.Decisions.Grants.Revoking;

/// <summary>
/// Tells the training system that holds a revoked grant, from the recorded <see cref="GrantRevoked"/>: a revocation is in
/// the ledger (and redemption refuses the grant) even while RabbitMQ is away, and the notice follows when it is back;
/// training systems de-duplicate by grant id.
/// </summary>
public sealed class RevocationNoticePublisher : LedgerNoticePublisher
{
    public RevocationNoticePublisher(IBus bus, ILogger<RevocationNoticePublisher> logger)
        : base(bus, logger)
    {
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
}
