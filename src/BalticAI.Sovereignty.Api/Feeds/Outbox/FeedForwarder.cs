using BalticAI.Sovereignty.Api.Feeds.Delivery;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;

namespace BalticAI.Sovereignty.Api.Feeds.Outbox;

/// <summary>
/// The outbox: a Marten subscription over the ledger. Marten saves its progress only after this
/// returns, and this returns only after RabbitMQ confirmed every envelope of the page, so an event is
/// never skipped; a crash re-sends the page's stored bytes (at-least-once, de-duplicated by inboxes).
/// </summary>
public sealed class FeedForwarder : SubscriptionBase
{
    public const string SubscriptionName = "RegulatorFeeds";

    private readonly FeedSealer _sealer;
    private readonly RabbitFeedPublisher _publisher;

    public FeedForwarder(FeedSealer sealer, RabbitFeedPublisher publisher)
    {
        _sealer = sealer;
        _publisher = publisher;
        Name = SubscriptionName;
    }

    public override async Task<IChangeListener> ProcessEventsAsync(EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        var envelopes = await _sealer.SealAsync(page.Events, cancellationToken);
        await _publisher.PublishUntilConfirmedAsync(envelopes, cancellationToken);
        return NullChangeListener.Instance;
    }

}
