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
/// event, the feeds' being the first). Only event types the store knows are indexed: the query shows
/// each indexed event's facts, which takes its type (an unknown one stays in the tree, not the index,
/// as when the daemon skipped it). The statements are queued on the daemon's operations, so they commit
/// with the subscription's progress; a retried page inserts nothing twice.
/// </summary>
public sealed class LedgerEventIndexer : SubscriptionBase
{
    public const string SubscriptionId = "ledger_event_index";
    private readonly string _index;
    private readonly string _countries;
    private readonly string _events;

    public LedgerEventIndexer(LedgerStore store)
    {
        _index = store.Table(LedgerEventIndexSchema.Table);
        _countries = store.Table(LedgerEventIndexSchema.Countries);
        _events = store.Table("mt_events");
        Name = SubscriptionId;
        IncludeType<NoEventsLoaded>();
    }

    public override Task<IChangeListener> ProcessEventsAsync(EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        if (page.SequenceCeiling > page.SequenceFloor)
        {
            var known = ((EventGraph)operations.DocumentStore.Options.Events).AllKnownEventTypes().Select(t => t.EventTypeName).ToArray();
            operations.QueueSqlCommand(IndexedFactsSql.InsertIndexRows(_index, _events), page.SequenceFloor, page.SequenceCeiling, known);
            operations.QueueSqlCommand(IndexedFactsSql.InsertCountryRows(_countries, _index), page.SequenceFloor, page.SequenceCeiling);
        }
        return Task.FromResult<IChangeListener>(NullChangeListener.Instance);
    }
}
