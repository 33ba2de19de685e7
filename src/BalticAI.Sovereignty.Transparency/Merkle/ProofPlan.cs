namespace BalticAI.Sovereignty.Transparency.Merkle;

/// <summary>
/// Which subtree hashes (as leaf ranges [Start, End)) make up RFC 9162 proofs, in proof order. A store
/// turns each range into complete subtrees (<see cref="TreeMath.Decompose"/>), reads them all at once
/// and folds them, so a proof costs one read of O(log n) rows.
/// </summary>
public static class ProofPlan
{
    /// <summary>PATH(m, D[n]) of RFC 9162 §2.1.3.1.</summary>
    public static IReadOnlyList<(long Start, long End)> Inclusion(long index, long treeSize)
    {
        if (index < 0 || index >= treeSize)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"leaf {index} is not in a tree of {treeSize}");
        }
        var ranges = new List<(long, long)>();
        Path(index, 0, treeSize, ranges);
        return ranges;
    }

    /// <summary>PROOF(m, D[n]) of RFC 9162 §2.1.4.1; empty when m is 0 or equals n.</summary>
    public static IReadOnlyList<(long Start, long End)> Consistency(long from, long to)
    {
        if (from < 0 || from > to)
        {
            throw new ArgumentOutOfRangeException(nameof(from), $"cannot prove {from} consistent with {to}");
        }
        var ranges = new List<(long, long)>();
        if (from > 0 && from < to)
        {
            SubProof(from, 0, to, true, ranges);
        }
        return ranges;
    }

    private static void Path(long m, long start, long end, List<(long, long)> ranges)
    {
        var n = end - start;
        if (n == 1)
        {
            return;
        }
        var k = TreeMath.SplitPoint(n);
        if (m < k)
        {
            Path(m, start, start + k, ranges);
            ranges.Add((start + k, end));
        }
        else
        {
            Path(m - k, start + k, end, ranges);
            ranges.Add((start, start + k));
        }
    }

    private static void SubProof(long m, long start, long end, bool whole, List<(long, long)> ranges)
    {
        var n = end - start;
        if (m == n)
        {
            if (!whole)
            {
                ranges.Add((start, end));
            }
            return;
        }
        var k = TreeMath.SplitPoint(n);
        if (m <= k)
        {
            SubProof(m, start, start + k, whole, ranges);
            ranges.Add((start + k, end));
        }
        else
        {
            SubProof(m - k, start + k, end, false, ranges);
            ranges.Add((start, start + k));
        }
    }

    /// <summary>Every complete subtree the ranges need, without duplicates.</summary>
    public static IReadOnlyCollection<NodeId> NodesFor(IEnumerable<(long Start, long End)> ranges) =>
        ranges.SelectMany(r => TreeMath.Decompose(r.Start, r.End)).ToHashSet();

    /// <summary>The proof's hashes, given the hashes of <see cref="NodesFor"/>.</summary>
    public static IReadOnlyList<byte[]> Assemble(IEnumerable<(long Start, long End)> ranges, IReadOnlyDictionary<NodeId, byte[]> nodes) =>
        ranges.Select(r => TreeMath.Fold(TreeMath.Decompose(r.Start, r.End).Select(id => nodes[id]).ToList())).ToList();
}
