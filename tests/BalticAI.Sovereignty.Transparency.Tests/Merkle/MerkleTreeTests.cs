using BalticAI.Sovereignty.Transparency.Merkle;

namespace BalticAI.Sovereignty.Transparency.Tests.Merkle;

/// <summary>
/// The eight-leaf test tree used by RFC 6962/9162 implementations (certificate-transparency's
/// merkle_tree_test): its roots for every size pin our hashing to the RFC's, prefixes included.
/// </summary>
public sealed class MerkleTreeTests
{
    internal static readonly byte[][] Leaves =
    [
        [], [0x00], [0x10], [0x20, 0x21], [0x30, 0x31], [0x40, 0x41, 0x42, 0x43],
        [0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57],
        [0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f],
    ];

    private static readonly string[] Roots =
    [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    [Fact]
    public void Empty_tree_hashes_to_sha256_of_nothing() =>
        Convert.ToHexStringLower(new MerkleAccumulator().Root()).ShouldBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

    [Fact]
    public void Roots_match_the_reference_vectors_at_every_size()
    {
        var accumulator = new MerkleAccumulator();
        var hashes = Leaves.Select(l => MerkleHash.Leaf(l)).ToList();
        for (var n = 1; n <= Leaves.Length; n++)
        {
            accumulator.AppendLeaf(Leaves[n - 1]);
            Convert.ToHexStringLower(accumulator.Root()).ShouldBe(Roots[n - 1]);
            Convert.ToHexStringLower(TreeMath.RootOf(hashes, 0, n)).ShouldBe(Roots[n - 1]);
        }
    }

    [Fact]
    public void Accumulator_reports_every_complete_subtree_with_the_recursive_hash()
    {
        var hashes = Enumerable.Range(0, 37).Select(i => MerkleHash.Leaf(BitConverter.GetBytes(i))).ToList();
        var nodes = new Dictionary<NodeId, byte[]>();
        var accumulator = new MerkleAccumulator();
        foreach (var hash in hashes)
        {
            accumulator.AppendLeafHash(hash, (id, h) => nodes.Add(id, h.ToArray()));
        }
        foreach (var (id, hash) in nodes)
        {
            hash.ShouldBe(TreeMath.RootOf(hashes, (int)id.Start, (int)id.End), $"node {id}");
        }
        nodes.Count.ShouldBe(37 + 18 + 9 + 4 + 2 + 1);
    }

    [Fact]
    public void Resuming_from_the_frontier_continues_the_same_tree()
    {
        var hashes = Enumerable.Range(0, 29).Select(i => MerkleHash.Leaf(BitConverter.GetBytes(i))).ToList();
        var nodes = new Dictionary<NodeId, byte[]>();
        var first = new MerkleAccumulator();
        foreach (var hash in hashes.Take(13))
        {
            first.AppendLeafHash(hash, (id, h) => nodes[id] = h.ToArray());
        }
        var resumed = MerkleAccumulator.Resume(13, first.Frontier.Select(id => nodes[id]).ToList());
        foreach (var hash in hashes.Skip(13))
        {
            resumed.AppendLeafHash(hash);
        }
        resumed.Root().ShouldBe(TreeMath.RootOf(hashes, 0, 29));
    }
}
