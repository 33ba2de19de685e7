namespace BalticAI.Sovereignty.Transparency.Merkle;

/// <summary>
/// Appends leaves in order and keeps only the right edge of the tree (one complete subtree per set bit
/// of the size), so memory is O(log n) and every node is hashed exactly once. Reports each complete
/// subtree as it is finished, which is what the node store saves.
/// </summary>
public sealed class MerkleAccumulator
{
    private const int MaxLevels = 64;
    private readonly byte[] _hashes = new byte[MaxLevels * MerkleHash.Size];
    private readonly int[] _levels = new int[MaxLevels];
    private int _count;

    public long Size { get; private set; }

    /// <summary>Resumes from the complete subtrees of a tree of <paramref name="size"/>, as <see cref="TreeMath.Decompose"/> lists them.</summary>
    public static MerkleAccumulator Resume(long size, IReadOnlyList<byte[]> frontier)
    {
        var nodes = TreeMath.Decompose(0, size);
        if (nodes.Count != frontier.Count)
        {
            throw new ArgumentException($"a tree of {size} leaves has {nodes.Count} frontier nodes, not {frontier.Count}", nameof(frontier));
        }
        var accumulator = new MerkleAccumulator { Size = size };
        for (var i = 0; i < nodes.Count; i++)
        {
            frontier[i].CopyTo(accumulator._hashes.AsSpan(i * MerkleHash.Size, MerkleHash.Size));
            accumulator._levels[i] = nodes[i].Level;
        }
        accumulator._count = nodes.Count;
        return accumulator;
    }

    /// <summary>The frontier's complete subtrees, left to right.</summary>
    public IReadOnlyList<NodeId> Frontier => TreeMath.Decompose(0, Size);

    /// <summary>The hashes of <see cref="Frontier"/>'s subtrees, left to right: what <see cref="Resume"/> takes back.</summary>
    public IReadOnlyList<byte[]> FrontierHashes() => Enumerable.Range(0, _count).Select(i => Slot(i).ToArray()).ToList();

    public void AppendLeaf(ReadOnlySpan<byte> leafBytes, Action<NodeId, ReadOnlySpan<byte>>? completed = null)
    {
        Span<byte> hash = stackalloc byte[MerkleHash.Size];
        MerkleHash.Leaf(leafBytes, hash);
        AppendLeafHash(hash, completed);
    }

    public void AppendLeafHash(ReadOnlySpan<byte> leafHash, Action<NodeId, ReadOnlySpan<byte>>? completed = null)
    {
        var index = Size;
        leafHash.CopyTo(Slot(_count));
        _levels[_count] = 0;
        _count++;
        completed?.Invoke(new NodeId(0, index), leafHash);
        while (_count >= 2 && _levels[_count - 1] == _levels[_count - 2])
        {
            var left = Slot(_count - 2);
            MerkleHash.Node(left, Slot(_count - 1), left);
            _levels[_count - 2]++;
            _count--;
            var level = _levels[_count - 1];
            completed?.Invoke(new NodeId(level, index >> level), left);
        }
        Size++;
    }

    /// <summary>MTH of the leaves appended so far.</summary>
    public byte[] Root()
    {
        if (_count == 0)
        {
            return MerkleHash.Empty();
        }
        var root = Slot(_count - 1).ToArray();
        for (var i = _count - 2; i >= 0; i--)
        {
            MerkleHash.Node(Slot(i), root, root);
        }
        return root;
    }

    private Span<byte> Slot(int i) => _hashes.AsSpan(i * MerkleHash.Size, MerkleHash.Size);
}
