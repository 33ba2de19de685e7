using System.Numerics;

namespace BalticAI.Sovereignty.Transparency.Merkle;

/// <summary>
/// A complete subtree: the 2^Level leaves starting at Index * 2^Level. Its hash never changes once the
/// tree has grown past it, which is why the node store keeps exactly these.
/// </summary>
public readonly record struct NodeId(int Level, long Index)
{
    public long Start => Index << Level;
    public long End => (Index + 1) << Level;
}

public static class TreeMath
{
    /// <summary>The largest power of two smaller than <paramref name="n"/> (n &gt; 1): RFC 9162's split point k.</summary>
    public static long SplitPoint(long n) => n <= 1 ? throw new ArgumentOutOfRangeException(nameof(n)) : 1L << (63 - BitOperations.LeadingZeroCount((ulong)(n - 1)));

    /// <summary>
    /// The complete subtrees, left to right, whose hashes give MTH(D[start:end]) for a range that RFC
    /// 9162's recursion can produce (start is a multiple of the largest power of two not above the length).
    /// </summary>
    public static IReadOnlyList<NodeId> Decompose(long start, long end)
    {
        var nodes = new List<NodeId>();
        while (start < end)
        {
            var length = end - start;
            var level = 63 - BitOperations.LeadingZeroCount((ulong)length);
            // Take the largest aligned complete subtree that fits, as the recursion's left halves do.
            while (level > 0 && (start & ((1L << level) - 1)) != 0)
            {
                level--;
            }
            nodes.Add(new NodeId(level, start >> level));
            start += 1L << level;
        }
        return nodes;
    }

    /// <summary>Folds complete subtree hashes (left to right, sizes non-increasing) into MTH, right to left.</summary>
    public static byte[] Fold(IReadOnlyList<byte[]> hashes)
    {
        if (hashes.Count == 0)
        {
            return MerkleHash.Empty();
        }
        var root = hashes[^1].ToArray();
        for (var i = hashes.Count - 2; i >= 0; i--)
        {
            root = MerkleHash.Node(hashes[i], root);
        }
        return root;
    }

    /// <summary>Reference MTH straight from RFC 9162 §2.1.1, for tests and small trees.</summary>
    public static byte[] RootOf(IReadOnlyList<byte[]> leafHashes, int start, int end)
    {
        if (end == start)
        {
            return MerkleHash.Empty();
        }
        if (end - start == 1)
        {
            return leafHashes[start].ToArray();
        }
        var k = (int)SplitPoint(end - start);
        return MerkleHash.Node(RootOf(leafHashes, start, start + k), RootOf(leafHashes, start + k, end));
    }
}
