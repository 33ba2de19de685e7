using BalticAI.Sovereignty.Transparency.Leaves;
using BalticAI.Sovereignty.Transparency.Merkle;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;

namespace BalticAI.Sovereignty.Api.Ledger.Tree;

/// <summary>
/// Appends every committed event, in Marten sequence order, as the next ledger entry (0, 1, 2... with
/// no gaps even where Marten's sequence has them). It reads the raw rows of each page from mt_events
/// rather than the deserialised events, so it covers event types this build does not know, and digests
/// exactly the stored data. Its rows are queued on the daemon's operations, so they commit in the same
/// transaction as the subscription's progress: a page is either fully in the tree or not at all.
/// </summary>
public sealed class LedgerTreeBuilder : SubscriptionBase
{
    public const string SubscriptionId = "ledger_tree";
    private readonly LedgerStore _store;
    private MerkleAccumulator? _tree;
    private long _lastSequence;

    public LedgerTreeBuilder(LedgerStore store)
    {
        _store = store;
        Name = SubscriptionId;
    }

    public override async Task<IChangeListener> ProcessEventsAsync(EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        // The daemon may hand over the next page before the previous one committed, so the tree's edge
        // is kept in memory; a page starting below it is a retry after a failed commit, so reload then.
        if (_tree is null || page.SequenceFloor < _lastSequence)
        {
            (_tree, _lastSequence) = await LoadAsync(cancellationToken);
        }
        var rows = await _store.ReadEventsAsync(Math.Max(page.SequenceFloor, _lastSequence), page.SequenceCeiling, cancellationToken);
        if (rows.Count == 0)
        {
            return NullChangeListener.Instance;
        }
        var batch = new TreeBatch(rows.Count);
        foreach (var row in rows)
        {
            batch.AddLeaf(_tree.Size, row.Sequence, row.EventId);
            _tree.AppendLeaf(ToLeaf(_tree.Size, row).Encode(), batch.AddNode);
        }
        _lastSequence = rows[^1].Sequence;
        batch.Queue(operations, _store);
        return NullChangeListener.Instance;
    }

    private async Task<(MerkleAccumulator Tree, long LastSequence)> LoadAsync(CancellationToken ct)
    {
        var (size, lastSequence) = await _store.ReadTipAsync(ct);
        var frontierIds = TreeMath.Decompose(0, size);
        var frontier = await _store.ReadNodesAsync(frontierIds.ToList(), ct);
        return (MerkleAccumulator.Resume(size, frontierIds.Select(id => frontier[id]).ToList()), lastSequence);
    }

    public static LedgerLeaf ToLeaf(long index, EventRow row) =>
        new(index, row.Sequence, row.EventId, row.Stream, row.EventType, row.Timestamp, LedgerLeaf.DigestData(row.Data));
}
