using System.Security.Cryptography;
using BalticAI.Sovereignty.Security;
using BalticAI.Sovereignty.Transparency.Checkpoints;

namespace BalticAI.Sovereignty.Transparency.Tests.Checkpoints;

public sealed class CheckpointTests : IDisposable
{
    private const string Origin = "balticai.eu/sovereignty-ledger";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "balticai-transparency-tests", Guid.NewGuid().ToString("N"));
    private readonly LocalKeyRing _ring;

    public CheckpointTests() => _ring = new LocalKeyRing(_directory, TimeProvider.System);

    private static Checkpoint Sample => new(Origin, 1_000, SHA256.HashData("root"u8));

    [Fact]
    public async Task Signed_checkpoint_is_a_c2sp_note_that_verifies_with_the_jwks()
    {
        var note = (await CheckpointSigning.SignAsync(Sample, _ring, CancellationToken.None)).ToString();
        var keys = await _ring.GetVerificationKeysAsync(CancellationToken.None);

        note.ShouldStartWith($"{Origin}\n1000\n{Convert.ToBase64String(Sample.RootHash)}\n\n— {Origin} ");
        note.ShouldEndWith("\n");
        CheckpointSigning.TryVerify(note, Origin, keys, out var checkpoint, out var error).ShouldBeTrue(error);
        checkpoint.Size.ShouldBe(1000);
        checkpoint.RootHash.ShouldBe(Sample.RootHash);
    }

    [Fact]
    public async Task Altered_size_wrong_origin_or_unknown_key_do_not_verify()
    {
        var note = (await CheckpointSigning.SignAsync(Sample, _ring, CancellationToken.None)).ToString();
        var keys = await _ring.GetVerificationKeysAsync(CancellationToken.None);
        using var other = new LocalKeyRing(_directory + "-other", TimeProvider.System);
        var otherKeys = await other.GetVerificationKeysAsync(CancellationToken.None);

        CheckpointSigning.TryVerify(note.Replace("\n1000\n", "\n1001\n"), Origin, keys, out _, out _).ShouldBeFalse();
        CheckpointSigning.TryVerify(note, "other.example/log", keys, out _, out _).ShouldBeFalse();
        CheckpointSigning.TryVerify(note, Origin, otherKeys, out _, out var error).ShouldBeFalse();
        error.ShouldBe("no signature by a known key");
    }

    [Fact]
    public async Task Keys_that_are_no_p256_keys_are_unknown_keys_not_a_crash()
    {
        var note = (await CheckpointSigning.SignAsync(Sample, _ring, CancellationToken.None)).ToString();
        var keys = await _ring.GetVerificationKeysAsync(CancellationToken.None);
        var rsa = System.Text.Json.Nodes.JsonNode.Parse("""{"kty":"RSA","kid":"r1","n":"AQAB","e":"AQAB"}""")!.AsObject();
        var offCurve = System.Text.Json.Nodes.JsonNode.Parse("""{"kty":"EC","crv":"P-256","kid":"e1","x":"AQ","y":"AQ"}""")!.AsObject();

        CheckpointSigning.TryVerify(note, Origin, [rsa, offCurve, .. keys], out _, out var error).ShouldBeTrue(error);
        CheckpointSigning.TryVerify(note, Origin, [rsa, offCurve], out _, out error).ShouldBeFalse();
        error.ShouldBe("no signature by a known key");
    }

    [Fact]
    public async Task Key_id_is_the_first_four_bytes_of_sha256_of_the_spki()
    {
        var jwk = (await _ring.GetVerificationKeysAsync(CancellationToken.None))[0];
        var key = EcdsaNoteKey.FromJwk(Origin, jwk);

        key.KeyId.ShouldBe(SHA256.HashData(key.SubjectPublicKeyInfo)[..4]);
        SignedNote.TryParse((await CheckpointSigning.SignAsync(Sample, _ring, CancellationToken.None)).ToString(), out var parsed).ShouldBeTrue();
        parsed.Signatures[0].KeyId.ShouldBe(key.KeyId);
    }

    [Fact]
    public void Signatures_whose_r_or_s_start_with_zero_bytes_convert_to_verifiable_der()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var noteKey = new EcdsaNoteKey(Origin, key);
        // Sign until both kinds of leading zero turn up; each happens about once in 256 signatures.
        var seen = 0;
        for (var i = 0; i < 5000 && seen != 3; i++)
        {
            var message = BitConverter.GetBytes(i);
            var rs = key.SignData(message, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            seen |= (rs[0] == 0 ? 1 : 0) | (rs[32] == 0 ? 2 : 0);
            noteKey.Verify(message, EcdsaNoteKey.ToDer(rs)).ShouldBeTrue($"signature {i}");
        }
        seen.ShouldBe(3);
    }

    public void Dispose()
    {
        _ring.Dispose();
        foreach (var directory in new[] { _directory, _directory + "-other" }.Where(Directory.Exists))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
