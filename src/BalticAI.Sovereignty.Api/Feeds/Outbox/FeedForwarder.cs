using BalticAI.Sovereignty.Api.Feeds.Delivery;
using BalticAI.Sovereignty.Api.Infrastructure.Concurrency;
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

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);
    private readonly FeedSealer _sealer;
    private readonly RabbitFeedPublisher _publisher;
    private readonly ILogger<FeedForwarder> _logger;

    public FeedForwarder(FeedSealer sealer, RabbitFeedPublisher publisher, ILogger<FeedForwarder> logger)
    {
        _sealer = sealer;
        _publisher = publisher;
        _logger = logger;
        Name = SubscriptionName;
    }

    public override async Task<IChangeListener> ProcessEventsAsync(EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        var envelopes = await SealUntilStoredAsync(page, cancellationToken);
        await _publisher.PublishUntilConfirmedAsync(envelopes, cancellationToken);
        return NullChangeListener.Instance;
    }

    /// <summary>
    /// Never hands a failure to the daemon, whose error policy may skip events: an outbox holds the
    /// page until it is stored. A second writer's envelopes (unique keys) are found on the next attempt.
    /// </summary>
    private async Task<IReadOnlyList<SealedEnvelope>> SealUntilStoredAsync(EventRange page, CancellationToken ct)
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(100), MaxBackoff);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await _sealer.SealAsync(page.Events, ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                _logger.LogError(e, "Sealing feed envelopes for ledger events {From}..{To} failed (attempt {Attempt}); retrying", page.SequenceFloor, page.SequenceCeiling, attempt);
                await backoff.WaitAsync(ct);
            }
        }
    }
}
