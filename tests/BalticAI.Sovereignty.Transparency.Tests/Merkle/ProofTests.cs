using BalticAI.Sovereignty.Transparency.Merkle;

namespace BalticAI.Sovereignty.Transparency.Tests.Merkle;

/// <summary>Proofs built from stored complete subtrees verify by RFC 9162's algorithms, for every index and size pair.</summary>
public sealed class ProofTests
{
    private const int MaxSize = 40;
    private static readonly List<byte[]> Hashes = Enumerable.Range(0, MaxSize).Select(i => MerkleHash.Leaf(BitConverter.GetBytes(i * 7919))).ToList();
    private static readonly Dictionary<NodeId, byte[]> Nodes = BuildNodes();

    private static Dictionary<NodeId, byte[]> BuildNodes()
    {
        var nodes = new Dictionary<NodeId, byte[]>();
        var accumulator = new MerkleAccumulator();
        foreach (var hash in Hashes)
        {
            accumulator.AppendLeafHash(hash, (id, h) => nodes[id] = h.ToArray());
        }
        return nodes;
    }

    private static byte[] Root(int size) => TreeMath.RootOf(Hashes, 0, size);

    [Fact]
    public void Every_inclusion_proof_verifies_and_fails_when_altered()
    {
        for (var n = 1; n <= MaxSize; n++)
        {
            for (var m = 0; m < n; m++)
            {
                var ranges = ProofPlan.Inclusion(m, n);
                var proof = ProofPlan.Assemble(ranges, Nodes);
                ProofVerifier.VerifyInclusion(m, n, Hashes[m], proof, Root(n)).ShouldBeTrue($"leaf {m} of {n}");
                ProofVerifier.VerifyInclusion(m, n, Hashes[(m + 1) % MaxSize], proof, Root(n)).ShouldBeFalse();
                if (proof.Count > 0)
                {
                    ProofVerifier.VerifyInclusion(m, n, Hashes[m], proof.Take(proof.Count - 1).ToList(), Root(n)).ShouldBeFalse();
                }
            }
        }
    }

    [Fact]
    public void Every_consistency_proof_verifies_and_fails_against_another_history()
    {
        for (var n = 1; n <= MaxSize; n++)
        {
            for (var m = 1; m <= n; m++)
            {
                var proof = ProofPlan.Assemble(ProofPlan.Consistency(m, n), Nodes);
                ProofVerifier.VerifyConsistency(m, n, Root(m), Root(n), proof).ShouldBeTrue($"{m} -> {n}");
                if (m < n)
                {
                    var forged = Root(m).ToArray();
                    forged[0] ^= 1;
                    ProofVerifier.VerifyConsistency(m, n, forged, Root(n), proof).ShouldBeFalse($"{m} -> {n} forged");
                }
            }
        }
    }

    [Theory]
    [InlineData(0, 1, 0)]
    [InlineData(0, 8, 3)]
    [InlineData(5, 8, 3)]
    [InlineData(6, 7, 2)]
    [InlineData(999_999, 1_000_000, 12)]
    [InlineData(123_456, 1_000_000, 20)]
    public void Inclusion_paths_have_the_rfc_length(long index, long size, int length) =>
        ProofPlan.Inclusion(index, size).Count.ShouldBe(length);

    [Fact]
    public void Proofs_read_few_nodes_even_at_a_million_leaves()
    {
        ProofPlan.NodesFor(ProofPlan.Inclusion(123_456, 1_000_000)).Count.ShouldBeLessThanOrEqualTo(40);
        ProofPlan.NodesFor(ProofPlan.Consistency(777_777, 1_000_000)).Count.ShouldBeLessThanOrEqualTo(60);
    }

    [Fact]
    public void Consistency_from_the_empty_tree_holds_only_for_the_empty_root()
    {
        ProofVerifier.VerifyConsistency(0, 5, MerkleHash.Empty(), Root(5), []).ShouldBeTrue();
        ProofVerifier.VerifyConsistency(0, 0, MerkleHash.Empty(), MerkleHash.Empty(), []).ShouldBeTrue();
        ProofVerifier.VerifyConsistency(0, 5, Root(3), Root(5), []).ShouldBeFalse("a size-0 tree has exactly one root");
        ProofVerifier.VerifyConsistency(0, 0, Root(3), Root(3), []).ShouldBeFalse("a size-0 tree has exactly one root");
    }

    [Fact]
    public void Out_of_range_requests_are_rejected()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => ProofPlan.Inclusion(5, 5));
        Should.Throw<ArgumentOutOfRangeException>(() => ProofPlan.Consistency(6, 5));
        ProofVerifier.VerifyInclusion(5, 5, Hashes[0], [], Root(5)).ShouldBeFalse();
    }
}
