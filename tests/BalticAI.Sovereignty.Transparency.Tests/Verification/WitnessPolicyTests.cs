using System.Security.Cryptography;
using BalticAI.Sovereignty.Security;
using BalticAI.Sovereignty.Transparency.Checkpoints;
using BalticAI.Sovereignty.Transparency.Export;
using BalticAI.Sovereignty.Transparency.Leaves;
using BalticAI.Sovereignty.Transparency.Merkle;
using BalticAI.Sovereignty.Transparency.Verification;
using BalticAI.Sovereignty.Transparency.Witnessing;

namespace BalticAI.Sovereignty.Transparency.Tests.Verification;

/// <summary>
/// An auditor who trusts some witnesses verifies that the history in an export is the one they cosigned: the largest
/// checkpoint a quorum of them cosigned is named, a cosignature by one of them that does not verify is a problem, and
/// an export no checkpoint of which has the quorum fails.
/// </summary>
public sealed class WitnessPolicyTests : IDisposable
{
    private const string Origin = "balticai.eu/sovereignty-ledger";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "balticai-witness-policy-tests", Guid.NewGuid().ToString("N"));
    private readonly LocalKeyRing _ring;
    private readonly ECDsa _uodo = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _vdai = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _aki = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly List<byte[]> _leaves;

    public WitnessPolicyTests()
    {
        _ring = new LocalKeyRing(_directory, TimeProvider.System);
        _leaves = Enumerable.Range(0, 4).Select(i => new LedgerLeaf(i, i + 100, Guid.NewGuid(), Guid.NewGuid().ToString(), "ledger_test_event",
            DateTimeOffset.UnixEpoch.AddSeconds(i), LedgerLeaf.DigestData("{}"), LedgerLeaf.DigestHeaders("{}")).Encode()).ToList();
    }

    [Fact]
    public async Task The_largest_checkpoint_the_quorum_cosigned_is_named_with_its_witnesses()
    {
        var two = await NoteAsync(2, ("uodo.gov.pl/witness", _uodo), ("vdai.lt/witness", _vdai));
        var four = await NoteAsync(4, ("uodo.gov.pl/witness", _uodo));

        var both = await VerifyAsync([two, four], Policy(2));
        var either = await VerifyAsync([two, four], Policy(1));

        both.Valid.ShouldBeTrue(string.Join("; ", both.Problems));
        both.Witnessed!.Size.ShouldBe(2);
        both.Witnessed.Witnesses.ShouldBe(["uodo.gov.pl/witness", "vdai.lt/witness"]);
        both.LatestCheckpoint.ShouldBe(4);
        either.Witnessed!.Size.ShouldBe(4);
        either.Witnessed.Witnesses.ShouldBe(["uodo.gov.pl/witness"]);
    }

    [Fact]
    public async Task An_export_no_checkpoint_of_which_has_the_quorum_fails_and_cosignatures_by_others_do_not_count()
    {
        // AKI cosigned, but the auditor does not trust it; UODO alone is short of two.
        var four = await NoteAsync(4, ("uodo.gov.pl/witness", _uodo), ("aki.ee/witness", _aki));

        var report = await VerifyAsync([four], Policy(2));

        report.Valid.ShouldBeFalse();
        report.Witnessed.ShouldBeNull();
        report.Problems.Select(p => p.Message).ShouldBe(["no checkpoint is cosigned by 2 of the 2 witnesses given: nothing is proven to be the history they saw"]);
    }

    [Fact]
    public async Task A_cosignature_by_a_trusted_witness_that_does_not_verify_is_a_problem()
    {
        // VDAI's name and key ID, but the signature is over another checkpoint: a line copied from elsewhere.
        var other = new Checkpoint(Origin, 4, new byte[32]);
        var copied = Cosignature.Create(other, new EcdsaNoteKey("vdai.lt/witness", _vdai), Sign(_vdai), 1_764_547_200);
        SignedNote.TryParse(await NoteAsync(4, ("uodo.gov.pl/witness", _uodo)), out var note).ShouldBeTrue();
        var forged = new SignedNote(note.Text, [.. note.Signatures, copied]).ToString();

        var report = await VerifyAsync([forged], Policy(1));

        report.Problems.Select(p => p.Message).ShouldBe(["checkpoint 4: the cosignature of witness vdai.lt/witness does not verify"]);
        report.Witnessed!.Witnesses.ShouldBe(["uodo.gov.pl/witness"]);
    }

    [Fact]
    public void A_witness_given_wrongly_is_named()
    {
        using var rsa = RSA.Create(2048);
        var p256 = Convert.ToBase64String(_uodo.ExportSubjectPublicKeyInfo());

        Should.Throw<FormatException>(() => WitnessPolicy.ParseWitness("uodo.gov.pl/witness=" + Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo())))
            .Message.ShouldBe("the key of witness uodo.gov.pl/witness is not the base64 DER SubjectPublicKeyInfo of a P-256 key");
        Should.Throw<FormatException>(() => WitnessPolicy.ParseWitness("=" + p256)).Message.ShouldContain("is not name=key");
        Should.Throw<FormatException>(() => WitnessPolicy.ParseWitness("uodo witness=" + p256)).Message.ShouldContain("without spaces");
        Should.Throw<FormatException>(() => WitnessPolicy.ParseWitness("uodo+witness=" + p256)).Message.ShouldContain("or '+' (C2SP signed-note)");
        WitnessPolicy.ParseWitness("uodo.gov.pl/witness=" + p256).Name.ShouldBe("uodo.gov.pl/witness");
    }

    private WitnessPolicy Policy(int quorum) => new(
        [
            WitnessPolicy.ParseWitness("uodo.gov.pl/witness=" + Convert.ToBase64String(_uodo.ExportSubjectPublicKeyInfo())),
            WitnessPolicy.ParseWitness("vdai.lt/witness=" + Convert.ToBase64String(_vdai.ExportSubjectPublicKeyInfo())),
        ],
        quorum);

    /// <summary>The log's checkpoint of the first <paramref name="size"/> leaves, with the witnesses' cosignatures appended as the broker serves them.</summary>
    private async Task<string> NoteAsync(long size, params (string Name, ECDsa Key)[] witnesses)
    {
        var tree = new MerkleAccumulator();
        _leaves.Take((int)size).ToList().ForEach(leaf => tree.AppendLeaf(leaf));
        var checkpoint = new Checkpoint(Origin, size, tree.Root());
        var signed = await CheckpointSigning.SignAsync(checkpoint, _ring, CancellationToken.None);
        var cosignatures = witnesses.Select(w => Cosignature.Create(checkpoint, new EcdsaNoteKey(w.Name, w.Key), Sign(w.Key), 1_764_547_200));
        return new SignedNote(signed.Text, [.. signed.Signatures, .. cosignatures]).ToString();
    }

    private static Func<byte[], byte[]> Sign(ECDsa key) => message => key.SignData(message, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

    private async Task<VerificationReport> VerifyAsync(IReadOnlyList<string> notes, WitnessPolicy policy)
    {
        using var stream = new MemoryStream();
        await using (var writer = new LedgerExportWriter(stream))
        {
            writer.WriteHeader(new ExportHeader(Origin, await _ring.GetVerificationKeysAsync(CancellationToken.None)));
            foreach (var note in notes)
            {
                SignedNote.TryParse(note, out var parsed).ShouldBeTrue();
                Checkpoint.TryParse(parsed.Text, out var checkpoint).ShouldBeTrue();
                writer.WriteCheckpoint(checkpoint.Size, note);
            }
            for (var i = 0; i < _leaves.Count; i++)
            {
                writer.WriteEntry(new ExportEntry(i, _leaves[i], MerkleHash.Leaf(_leaves[i]), null));
            }
        }
        var verifier = new LedgerVerifier(witnesses: policy);
        LedgerExportReader.Read(new MemoryStream(stream.ToArray()), verifier);
        return verifier.Finish();
    }

    public void Dispose()
    {
        _ring.Dispose();
        _uodo.Dispose();
        _vdai.Dispose();
        _aki.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
