using BalticAI.Sovereignty.Api.Ledger.Checkpointing;
using BalticAI.Sovereignty.Api.Ledger.Tree;
using BalticAI.Sovereignty.Transparency.Merkle;

namespace BalticAI.Sovereignty.Api.Ledger.GettingProofs;

/// <summary>Builds proofs from the node store: each is one read of O(log n) complete subtree hashes.</summary>
public sealed class ProofService(LedgerStore ledger, CheckpointStore checkpoints)
{
    /// <summary>The size proofs default to: the latest signed checkpoint, else the tree as it stands.</summary>
    public async Task<long> DefaultTreeSizeAsync(CancellationToken ct) =>
        (await checkpoints.LatestAsync(ct))?.Size ?? await ledger.ReadSizeAsync(ct);

    public async Task<InclusionProofResponse> InclusionAsync(long index, long treeSize, CancellationToken ct)
    {
        var ranges = ProofPlan.Inclusion(index, treeSize);
        var ids = ProofPlan.NodesFor(ranges).Concat(TreeMath.Decompose(0, treeSize)).Append(new NodeId(0, index)).ToHashSet();
        var nodes = await ledger.ReadNodesAsync(ids, ct);
        var root = TreeMath.Fold(TreeMath.Decompose(0, treeSize).Select(id => nodes[id]).ToList());
        var hashes = ProofPlan.Assemble(ranges, nodes);
        return new InclusionProofResponse(index, treeSize, Convert.ToBase64String(nodes[new NodeId(0, index)]), Convert.ToBase64String(root),
            hashes.Select(Convert.ToBase64String).ToList());
    }

    public async Task<ConsistencyProofResponse> ConsistencyAsync(long from, long to, CancellationToken ct)
    {
        var ranges = ProofPlan.Consistency(from, to);
        var ids = ProofPlan.NodesFor(ranges).Concat(TreeMath.Decompose(0, from)).Concat(TreeMath.Decompose(0, to)).ToHashSet();
        var nodes = await ledger.ReadNodesAsync(ids, ct);
        var fromRoot = TreeMath.Fold(TreeMath.Decompose(0, from).Select(id => nodes[id]).ToList());
        var toRoot = TreeMath.Fold(TreeMath.Decompose(0, to).Select(id => nodes[id]).ToList());
        return new ConsistencyProofResponse(from, to, Convert.ToBase64String(fromRoot), Convert.ToBase64String(toRoot),
            ProofPlan.Assemble(ranges, nodes).Select(Convert.ToBase64String).ToList());
    }
}
