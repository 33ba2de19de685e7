using BalticAI.Sovereignty.Transparency.Leaves;
using BalticAI.Sovereignty.Transparency.Merkle;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;

namespace BalticAI.Sovereignty.Api.Ledger.Tree;

/// <summary>
/// Appends every committed event, in Marten sequence order, as the next ledger entry (0, 1, 2... with
/// no gaps even where Marten's sequence has them). It reads the raw rows from mt_events rather than the
/// deserialised events, so it covers event types this build does not know and digests exactly the stored
/// data; the daemon is therefore told to load no events for it at all (a filter on a type never
/// appended), and only hands over the sequence range the high-water mark has made safe. A range can be
/// the whole backlog, so rows are read and committed in chunks, each chunk in its own transaction
/// before the daemon saves its progress: the saved progress may trail the tree after a crash, never lead
/// it, and the tree's own tip says where to go on.
/// </summary>
public sealed class LedgerTreeBuilder : SubscriptionBase
{
    public const string SubscriptionId = "ledger_tree";
    private const int ChunkSize = 2_000;
    private readonly LedgerStore _store;
    private MerkleAccumulator? _tree;
    private long _lastSequence;

    public LedgerTreeBuilder(LedgerStore store)
    {
        _store = store;
        Name = SubscriptionId;
        IncludeType<NoEventsLoaded>();
    }

    public override async Task<IChangeListener> ProcessEventsAsync(EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        try
        {
            // A page starting below the tree's edge is a retry after a failed commit, so reload then.
            if (_tree is null || page.SequenceFloor < _lastSequence)
            {
                (_tree, _lastSequence) = await LoadAsync(cancellationToken);
            }
            int appended;
            do
            {
                appended = await AppendChunkAsync(_tree, page.SequenceCeiling, cancellationToken);
            }
            while (appended == ChunkSize);
        }
        catch
        {
            // The in-memory edge may be ahead of what committed; the next page reloads it.
            _tree = null;
            throw;
        }
        return NullChangeListener.Instance;
    }

    private async Task<int> AppendChunkAsync(MerkleAccumulator tree, long ceiling, CancellationToken ct)
    {
        var rows = await _store.ReadEventsAsync(_lastSequence, ceiling, ChunkSize, ct);
        if (rows.Count == 0)
        {
            return 0;
        }
        var batch = new TreeBatch(rows.Count);
        foreach (var row in rows)
        {
            batch.AddLeaf(tree.Size, row.Sequence, row.EventId);
            tree.AppendLeaf(ToLeaf(tree.Size, row).Encode(), batch.AddNode);
        }
        await batch.WriteAsync(_store, ct);
        _lastSequence = rows[^1].Sequence;
        return rows.Count;
    }

    private async Task<(MerkleAccumulator Tree, long LastSequence)> LoadAsync(CancellationToken ct)
    {
        var (size, lastSequence) = await _store.ReadTipAsync(ct);
        var frontierIds = TreeMath.Decompose(0, size);
        var frontier = await _store.ReadNodesAsync(frontierIds.ToList(), ct);
        return (MerkleAccumulator.Resume(size, frontierIds.Select(id => frontier[id]).ToList()), lastSequence);
    }

    /// <summary>The leaf of an event row in <paramref name="format"/> (<see cref="LedgerLeaf.FromRow"/>).</summary>
    public static LedgerLeaf ToLeaf(long index, EventRow row, short format = LedgerLeaf.WithHeaders) =>
        LedgerLeaf.FromRow(index, row.Sequence, row.EventId, row.Stream, row.EventType, row.Timestamp, row.Data, row.Headers, format);
}
