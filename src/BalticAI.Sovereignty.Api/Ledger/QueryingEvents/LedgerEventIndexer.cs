using BalticAI.Sovereignty.Api.Ledger.Tree;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;

namespace BalticAI.Sovereignty.Api.Ledger.QueryingEvents;

/// <summary>
/// Keeps <see cref="LedgerEventIndexSchema.Table"/> one row per committed event (and
/// <see cref="LedgerEventIndexSchema.Countries"/> one per event and country). Its rows are queued on
/// the daemon's operations, so they commit with the subscription's progress; a retried page inserts
/// nothing twice. An event that names no subject of its own (a grant's redemption) takes the subjects
/// of its stream's first event (the grant's issue), so filtering by dataset or job finds it too.
/// </summary>
public sealed class LedgerEventIndexer : SubscriptionBase
{
    public const string SubscriptionId = "ledger_event_index";
    private readonly LedgerStore _store;

    public LedgerEventIndexer(LedgerStore store)
    {
        _store = store;
        Name = SubscriptionId;
    }

    public override Task<IChangeListener> ProcessEventsAsync(EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        var count = page.Events.Count;
        if (count == 0)
        {
            return Task.FromResult<IChangeListener>(NullChangeListener.Instance);
        }
        var rows = new IndexRows(count);
        var firstOfStream = new Dictionary<Guid, IndexedFacts>();
        foreach (var e in page.Events)
        {
            var facts = IndexedFactsReader.Read(e.Data, e.ReadActor());
            var namesSubject = facts.Dataset is not null || facts.Job is not null || facts.Model is not null;
            var inherit = false;
            if (namesSubject)
            {
                firstOfStream.TryAdd(e.StreamId, facts);
            }
            else if (firstOfStream.TryGetValue(e.StreamId, out var first))
            {
                facts = facts with { Dataset = first.Dataset, Job = first.Job, Model = first.Model };
            }
            else
            {
                inherit = true;
            }
            rows.Add(e, facts, inherit);
        }
        rows.Queue(operations, _store.Table(LedgerEventIndexSchema.Table), _store.Table(LedgerEventIndexSchema.Countries));
        return Task.FromResult<IChangeListener>(NullChangeListener.Instance);
    }

    /// <summary>One page's rows as column arrays: one insert statement per page.</summary>
    private sealed class IndexRows(int capacity)
    {
        private readonly List<long> _sequences = new(capacity);
        private readonly List<Guid> _ids = new(capacity);
        private readonly List<Guid> _streams = new(capacity);
        private readonly List<string> _types = new(capacity);
        private readonly List<string> _times = new(capacity);
        private readonly List<string> _countries = new(capacity);
        private readonly List<Guid?> _datasets = new(capacity);
        private readonly List<Guid?> _jobs = new(capacity);
        private readonly List<string?> _models = new(capacity);
        private readonly List<bool> _inherit = new(capacity);

        public void Add(IEvent e, IndexedFacts facts, bool inherit)
        {
            _sequences.Add(e.Sequence);
            _ids.Add(e.Id);
            _streams.Add(e.StreamId);
            _types.Add(e.EventTypeName);
            // Sent as text: Marten's parameter mapping would send DateTime[] as timestamp without time zone.
            _times.Add(e.Timestamp.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            // Country codes hold no comma, so one joined string per row travels in a flat text[].
            _countries.Add(string.Join(',', facts.Countries));
            _datasets.Add(facts.Dataset);
            _jobs.Add(facts.Job);
            _models.Add(facts.Model);
            _inherit.Add(inherit);
        }

        public void Queue(IDocumentOperations operations, string table, string countriesTable)
        {
            operations.QueueSqlCommand(
                $"""
                insert into {table} (seq_id, event_id, stream, type, time, countries, dataset, job, model)
                select u.seq, u.id, u.stream, u.type, u.time::timestamptz, string_to_array(u.countries, ','),
                       coalesce(u.dataset, s.dataset), coalesce(u.job, s.job), coalesce(u.model, s.model)
                from unnest(?::bigint[], ?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::text[], ?::uuid[], ?::uuid[], ?::text[], ?::boolean[])
                     as u(seq, id, stream, type, time, countries, dataset, job, model, inherit)
                left join lateral (
                    select i.dataset, i.job, i.model from {table} i
                    where u.inherit and i.stream = u.stream and (i.dataset is not null or i.job is not null or i.model is not null)
                    order by i.seq_id limit 1) s on true
                on conflict (seq_id) do nothing
                """,
                _sequences.ToArray(), _ids.ToArray(), _streams.ToArray(), _types.ToArray(), _times.ToArray(), _countries.ToArray(),
                _datasets.ToArray(), _jobs.ToArray(), _models.ToArray(), _inherit.ToArray());
            operations.QueueSqlCommand(
                $"""
                insert into {countriesTable} (country, seq_id, type)
                select c.country, u.seq, u.type
                from unnest(?::bigint[], ?::text[], ?::text[]) as u(seq, type, countries)
                cross join lateral unnest(string_to_array(u.countries, ',')) as c(country)
                on conflict do nothing
                """,
                _sequences.ToArray(), _types.ToArray(), _countries.ToArray());
        }
    }
}
