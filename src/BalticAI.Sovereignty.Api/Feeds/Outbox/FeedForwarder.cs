using BalticAI.Sovereignty.Api.Feeds.Delivery;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;

namespace BalticAI.Sovereignty.Api.Feeds.Outbox;

/// <summary>
/// The outbox: a Marten subscription over the ledger. Marten saves its progress only after this
/// returns, and this returns only after RabbitMQ confirmed every envelope of the page, so an event is
/// never skipped; a crash re-sends the page's stored bytes (at-least-once, de-duplicated by inboxes).
/// When it is behind, the daemon queues one small page per high-water move and never merges them, so
/// a backlog would drain a small page per round trip to RabbitMQ; instead a page also takes every
/// later event up to the high-water mark (at most <see cref="ReadAhead"/>), and the queued pages it
/// already confirmed return at once. What was confirmed is remembered in memory only: after a restart
/// the stored envelopes are simply sent again.
/// </summary>
public sealed class FeedForwarder : SubscriptionBase
{
    public const string SubscriptionName = "RegulatorFeeds";

    private const int ReadAhead = 2_000;
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);
    private readonly FeedSealer _sealer;
    private readonly FeedLog _log;
    private readonly RabbitFeedPublisher _publisher;
    private readonly ILogger<FeedForwarder> _logger;
    private long _confirmedThrough;

    public FeedForwarder(FeedSealer sealer, FeedLog log, RabbitFeedPublisher publisher, ILogger<FeedForwarder> logger)
    {
        _sealer = sealer;
        _log = log;
        _publisher = publisher;
        _logger = logger;
        Name = SubscriptionName;
    }

    public override async Task<IChangeListener> ProcessEventsAsync(EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        if (page.SequenceCeiling <= _confirmedThrough)
        {
            return NullChangeListener.Instance;
        }
        var (events, through) = await WithReadAheadAsync(page, operations, cancellationToken);
        var envelopes = await SealUntilStoredAsync(events, page, cancellationToken);
        await _publisher.PublishUntilConfirmedAsync(envelopes, cancellationToken);
        _confirmedThrough = through;
        return NullChangeListener.Instance;
    }

    /// <summary>The page's events not yet confirmed, then the later ones the high-water mark has made safe.</summary>
    private async Task<(List<IEvent> Events, long Through)> WithReadAheadAsync(EventRange page, IDocumentOperations operations, CancellationToken ct)
    {
        var events = page.Events.Where(e => e.Sequence > _confirmedThrough).ToList();
        var highWater = await _log.HighWaterMarkAsync(ct);
        if (highWater <= page.SequenceCeiling)
        {
            return (events, page.SequenceCeiling);
        }
        var later = await operations.Events.QueryAllRawEvents()
            .Where(e => e.Sequence > page.SequenceCeiling && e.Sequence <= highWater)
            .OrderBy(e => e.Sequence)
            .Take(ReadAhead)
            .ToListAsync(ct);
        events.AddRange(later);
        return (events, later.Count == ReadAhead ? later[^1].Sequence : highWater);
    }

    /// <summary>
    /// Never hands a failure to the daemon, whose error policy may skip events: an outbox holds the
    /// page until it is stored. A second writer's envelopes (unique keys) are found on the next attempt.
    /// </summary>
    private async Task<IReadOnlyList<SealedEnvelope>> SealUntilStoredAsync(IReadOnlyList<IEvent> events, EventRange page, CancellationToken ct)
    {
        var backoff = TimeSpan.FromMilliseconds(100);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await _sealer.SealAsync(events, ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                _logger.LogError(e, "Sealing feed envelopes for ledger events {From}..{To} failed (attempt {Attempt}); retrying", page.SequenceFloor, page.SequenceCeiling, attempt);
                await Task.Delay(backoff, ct);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }
}
