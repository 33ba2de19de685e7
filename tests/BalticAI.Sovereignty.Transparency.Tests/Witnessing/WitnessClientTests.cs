using System.Security.Cryptography;
using BalticAI.Sovereignty.Security;
using BalticAI.Sovereignty.Transparency.Checkpoints;
using BalticAI.Sovereignty.Transparency.Merkle;
using BalticAI.Sovereignty.Transparency.Witnessing;

namespace BalticAI.Sovereignty.Transparency.Tests.Witnessing;

public sealed class WitnessClientTests : IDisposable
{
    private const string Origin = "balticai.eu/sovereignty-ledger";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "balticai-witness-tests", Guid.NewGuid().ToString("N"));
    private readonly LocalKeyRing _log;
    private readonly ECDsa _witnessKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly Dictionary<NodeId, byte[]> _nodes = [];
    private readonly MerkleAccumulator _tree = new();

    public WitnessClientTests() => _log = new LocalKeyRing(_directory, TimeProvider.System);

    private async Task<(Checkpoint Checkpoint, string Note)> GrowAsync(int leaves)
    {
        for (var i = 0; i < leaves; i++)
        {
            _tree.AppendLeaf(BitConverter.GetBytes(_tree.Size), (id, h) => _nodes[id] = h.ToArray());
        }
        var checkpoint = new Checkpoint(Origin, _tree.Size, _tree.Root());
        return (checkpoint, (await CheckpointSigning.SignAsync(checkpoint, _log, CancellationToken.None)).ToString());
    }

    private async Task<WitnessClient> WitnessAsync() =>
        new("pl-uodo.example/witness", _witnessKey, Origin, await _log.GetVerificationKeysAsync(CancellationToken.None), TimeProvider.System);

    [Fact]
    public async Task Cosigns_a_consistent_checkpoint_and_the_cosignature_verifies()
    {
        var witness = await WitnessAsync();
        var (first, firstNote) = await GrowAsync(5);
        witness.Cosign(firstNote, null, []).Accepted.ShouldBeTrue();
        var (second, secondNote) = await GrowAsync(9);
        var proof = ProofPlan.Assemble(ProofPlan.Consistency(first.Size, second.Size), _nodes);

        var verdict = witness.Cosign(secondNote, first, proof);

        verdict.Accepted.ShouldBeTrue(verdict.Reason);
        var key = EcdsaNoteKey.FromSubjectPublicKeyInfo("pl-uodo.example/witness", witness.PublicKeyBase64);
        NoteSignature.TryParseLine(verdict.Cosignature!.Line, out var line).ShouldBeTrue();
        Cosignature.TryVerify(second, key, line, out _).ShouldBeTrue();
        Cosignature.TryVerify(first, key, line, out _).ShouldBeFalse();
    }

    [Fact]
    public async Task Refuses_a_fork_a_shrunk_tree_and_a_forged_signature()
    {
        var witness = await WitnessAsync();
        var (first, _) = await GrowAsync(6);
        var (second, secondNote) = await GrowAsync(4);
        var proof = ProofPlan.Assemble(ProofPlan.Consistency(first.Size, second.Size), _nodes);
        var fork = first with { RootHash = SHA256.HashData("another history"u8) };

        witness.Cosign(secondNote, fork, proof).Accepted.ShouldBeFalse();
        witness.Cosign(secondNote, second with { Size = 11 }, proof).Reason.ShouldContain("shrank");
        witness.Cosign(secondNote.Replace("\n10\n", "\n12\n"), first, proof).Reason.ShouldStartWith("log signature");
    }

    public void Dispose()
    {
        _log.Dispose();
        _witnessKey.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
