using BalticAI.Sovereignty.Api.Infrastructure.Resilience;
using BalticAI.Sovereignty.Api.Ledger.Holding;
using BalticAI.Sovereignty.Api.Ledger.Tree;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events;
using Marten.Subscriptions;

namespace BalticAI.Sovereignty.Api.Ledger.QueryingEvents;

/// <summary>
/// Keeps <see cref="LedgerEventIndexSchema.Table"/> one row per committed event (and
/// <see cref="LedgerEventIndexSchema.Countries"/> one per event and country). The rows are built inside
/// PostgreSQL from the stored events (<see cref="IndexedFactsSql"/>): the daemon loads no event for it,
/// so no event body crosses the wire or is deserialised for the index (it was a second full load of every
/// event, the feeds' being the first). Only event types the store knows can be indexed: the query shows
/// each indexed event's facts, which takes its type. A page holding a type this build does not know (a
/// newer node wrote it) is therefore held, not passed: a node that knows the type indexes it on takeover.
/// The statements are queued on the daemon's operations, so they commit with the subscription's progress;
/// a retried page inserts nothing twice.
/// </summary>
public sealed class LedgerEventIndexer : SubscriptionBase
{
    public const string SubscriptionId = "ledger_event_index";
    private readonly string _index;
    private readonly string _countries;
    private readonly string _events;
    private readonly UnreadEvents _unread;
    private readonly SubscriptionHolds _holds;
    private readonly ILogger<LedgerEventIndexer> _logger;

    public LedgerEventIndexer(LedgerStore store, UnreadEvents unread, SubscriptionHolds holds, ILogger<LedgerEventIndexer> logger)
    {
        _unread = unread;
        _holds = holds;
        _logger = logger;
        _index = store.Table(LedgerEventIndexSchema.Table);
        _countries = store.Table(LedgerEventIndexSchema.Countries);
        _events = store.Table("mt_events");
        Name = SubscriptionId;
        IncludeType<NoEventsLoaded>();
    }

    public override async Task<IChangeListener> ProcessEventsAsync(EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        if (page.SequenceCeiling > page.SequenceFloor)
        {
            var known = KnownTypes(operations.DocumentStore);
            if (await FirstOfUnknownTypeAsync(page, known, cancellationToken) is { } unread)
            {
                await _holds.HoldAsync(Name, unread, cancellationToken);
            }
            operations.QueueSqlCommand(IndexedFactsSql.InsertIndexRows(_index, _events), page.SequenceFloor, page.SequenceCeiling, known);
            operations.QueueSqlCommand(IndexedFactsSql.InsertCountryRows(_countries, _index), page.SequenceFloor, page.SequenceCeiling);
        }
        return NullChangeListener.Instance;
    }

    /// <summary>The aliases this build's event types are recorded under: the only ones the index can hold.</summary>
    public static string[] KnownTypes(IDocumentStore store) =>
        [.. ((EventGraph)store.Options.Events).AllKnownEventTypes().Select(t => t.EventTypeName).Order(StringComparer.Ordinal)];

    /// <summary>Retried rather than thrown: the daemon's error policy may skip a page that failed.</summary>
    private Task<UnreadEvent?> FirstOfUnknownTypeAsync(EventRange page, string[] known, CancellationToken ct) =>
        new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5)).RetryUntilDoneAsync(
            (_, token) => _unread.FirstOfUnknownTypeAsync(page.SequenceFloor, page.SequenceCeiling, known, token),
            (e, _) => _logger.LogError(e, "Looking for unknown event types in ledger events {From}..{To} failed; retrying", page.SequenceFloor, page.SequenceCeiling),
            ct);
}
