using BalticAI.Sovereignty.Api.Feeds.Delivery;
using BalticAI.Sovereignty.Api.Infrastructure.Resilience;
using BalticAI.Sovereignty.Api.Ledger.Holding;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;

namespace BalticAI.Sovereignty.Api.Feeds.Outbox;

/// <summary>
/// The outbox: a Marten subscription over the ledger. Marten saves its progress only after this
/// returns, and this returns only after RabbitMQ confirmed every envelope of the page, so an event is
/// never skipped; a crash re-sends the page's stored bytes (at-least-once, de-duplicated by inboxes).
/// An event the daemon could not load (a type a newer node wrote) is not skipped either: the events
/// before it are forwarded, and the forwarder holds there until a node that reads it takes over.
/// </summary>
public sealed class FeedForwarder : SubscriptionBase
{
    public const string SubscriptionName = "RegulatorFeeds";

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);
    private readonly FeedSealer _sealer;
    private readonly RabbitFeedPublisher _publisher;
    private readonly UnreadEvents _unread;
    private readonly SubscriptionHolds _holds;
    private readonly ILogger<FeedForwarder> _logger;

    public FeedForwarder(FeedSealer sealer, RabbitFeedPublisher publisher, UnreadEvents unread, SubscriptionHolds holds, ILogger<FeedForwarder> logger)
    {
        _sealer = sealer;
        _publisher = publisher;
        _unread = unread;
        _holds = holds;
        _logger = logger;
        Name = SubscriptionName;
    }

    public override async Task<IChangeListener> ProcessEventsAsync(EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        var (envelopes, unread) = await SealUntilStoredAsync(page, cancellationToken);
        await _publisher.PublishUntilConfirmedAsync(envelopes, cancellationToken);
        if (unread is not null)
        {
            await _holds.HoldAsync(Name, unread, cancellationToken);
        }
        return NullChangeListener.Instance;
    }

    /// <summary>
    /// Never hands a failure to the daemon, whose error policy may skip events: an outbox holds the
    /// page until it is stored. A second writer's envelopes (unique keys) are found on the next attempt.
    /// Only the events before the first one the page lacks are sealed.
    /// </summary>
    private Task<(IReadOnlyList<SealedEnvelope> Envelopes, UnreadEvent? Unread)> SealUntilStoredAsync(EventRange page, CancellationToken ct) =>
        new Backoff(TimeSpan.FromMilliseconds(100), MaxBackoff).RetryUntilDoneAsync<(IReadOnlyList<SealedEnvelope>, UnreadEvent?)>(
            async (_, token) =>
            {
                var loaded = page.Events.Select(e => e.Sequence).ToArray();
                var unread = await _unread.FirstNotLoadedAsync(page.SequenceFloor, page.SequenceCeiling, loaded, token);
                var events = unread is null ? page.Events : page.Events.Where(e => e.Sequence < unread.Sequence).ToList();
                return (await _sealer.SealAsync(events, token), unread);
            },
            (e, attempt) => _logger.LogError(e, "Sealing feed envelopes for ledger events {From}..{To} failed (attempt {Attempt}); retrying", page.SequenceFloor, page.SequenceCeiling, attempt),
            ct);
}
