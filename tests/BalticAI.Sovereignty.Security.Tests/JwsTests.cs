using System.Text;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Security;

namespace BalticAI.Sovereignty.Security.Tests;

public sealed class JwsTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "balticai-jws-" + Guid.NewGuid().ToString("N"));
    private readonly LocalKeyRing _ring;

    public JwsTests() => _ring = new LocalKeyRing(_directory, TimeProvider.System);

    public void Dispose()
    {
        _ring.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_compact_JWS_names_the_active_key_carries_the_payload_and_verifies()
    {
        var payload = Encoding.UTF8.GetBytes("""{"grant":"g-1","ü":"😀"}""");

        var jws = await Jws.SignCompactAsync(_ring, payload, "grant+jwt", CancellationToken.None);

        var parts = jws.Split('.');
        parts.Length.ShouldBe(3);
        var header = JsonNode.Parse(Base64Url.Decode(parts[0]))!.AsObject();
        header.Select(m => (m.Key, m.Value!.GetValue<string>())).ShouldBe([("alg", "ES256"), ("kid", _ring.ActiveKeyId), ("typ", "grant+jwt")]);
        // A verifier or an auditor decoding the header by hand reads the type as written, not as "grant\u002Bjwt".
        Encoding.UTF8.GetString(Base64Url.Decode(parts[0])).ShouldBe($$"""{"alg":"ES256","kid":"{{_ring.ActiveKeyId}}","typ":"grant+jwt"}""");
        parts[1].ShouldBe(Base64Url.Encode(payload));
        var keys = await _ring.GetVerificationKeysAsync(CancellationToken.None);
        Jws.TryVerify(jws, keys, default, out var verified, out var kid).ShouldBeTrue();
        verified.ShouldBe(payload);
        kid.ShouldBe(_ring.ActiveKeyId);
    }

    [Fact]
    public async Task A_detached_JWS_verifies_with_its_payload_only_and_its_header_has_no_type_unless_given()
    {
        var payload = Encoding.UTF8.GetBytes("""{"feedseq":1}""");

        var jws = await Jws.SignDetachedAsync(_ring, payload, null, CancellationToken.None);

        var parts = jws.Split('.');
        parts[1].ShouldBeEmpty();
        Encoding.UTF8.GetString(Base64Url.Decode(parts[0])).ShouldBe($$"""{"alg":"ES256","kid":"{{_ring.ActiveKeyId}}"}""");
        var keys = await _ring.GetVerificationKeysAsync(CancellationToken.None);
        Jws.TryVerify(jws, keys, payload, out _, out _).ShouldBeTrue();
        Jws.TryVerify(jws, keys, Encoding.UTF8.GetBytes("""{"feedseq":2}"""), out _, out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData("""{"alg":256,"kid":"k"}""")]
    [InlineData("""{"alg":"ES256","kid":7}""")]
    [InlineData("""{"alg":"ES256"}""")]
    [InlineData("""{"alg":["ES256"],"kid":{}}""")]
    [InlineData("""["ES256"]""")]
    public async Task A_header_whose_alg_or_kid_is_not_a_string_does_not_verify_and_does_not_throw(string header)
    {
        var jws = await Jws.SignDetachedAsync(_ring, "{}"u8.ToArray(), null, CancellationToken.None);
        var forged = Base64Url.Encode(Encoding.UTF8.GetBytes(header)) + jws[jws.IndexOf('.')..];
        var keys = await _ring.GetVerificationKeysAsync(CancellationToken.None);

        Jws.TryVerify(forged, keys, "{}"u8, out _, out _).ShouldBeFalse();
    }

    [Fact]
    public async Task A_rotation_between_naming_the_key_and_signing_is_signed_again_under_the_new_key()
    {
        var stale = new StaleFirstSigner(_ring, _ring.ActiveKeyId);
        _ring.Rotate();

        var jws = await Jws.SignCompactAsync(stale, "{}"u8.ToArray(), null, CancellationToken.None);

        var keys = await _ring.GetVerificationKeysAsync(CancellationToken.None);
        Jws.TryVerify(jws, keys, default, out _, out var kid).ShouldBeTrue();
        kid.ShouldBe(_ring.ActiveKeyId);
        stale.Namings.ShouldBe(2);
    }

    [Fact]
    public async Task A_signer_that_never_signs_with_the_key_it_names_is_refused()
    {
        var liar = new StaleFirstSigner(_ring, "no-such-key", always: true);

        await Should.ThrowAsync<SigningUnavailableException>(() => Jws.SignDetachedAsync(liar, "{}"u8.ToArray(), null, CancellationToken.None));
    }

    [Fact]
    public async Task Signatures_made_at_once_each_sign_their_own_input()
    {
        var signer = new YieldingSigner(_ring);
        var payloads = Enumerable.Range(0, 32).Select(i => Encoding.UTF8.GetBytes($$"""{"feedseq":{{i}},"pad":"{{new string('x', i * 50)}}"}""")).ToArray();

        var signed = await Task.WhenAll(payloads.Select(p => Task.Run(() => Jws.SignDetachedAsync(signer, p, null, CancellationToken.None))));

        var keys = await _ring.GetVerificationKeysAsync(CancellationToken.None);
        for (var i = 0; i < payloads.Length; i++)
        {
            Jws.TryVerify(signed[i], keys, payloads[i], out _, out _).ShouldBeTrue();
        }
    }

    [Fact]
    public async Task The_input_a_failed_signer_may_still_hold_is_not_reused()
    {
        var failing = new FailingSigner(_ring);
        var payload = Encoding.UTF8.GetBytes("""{"feedseq":1}""");
        // Every signature here completes synchronously, so all of them rent on this one thread, where a
        // returned array would be handed out again at once.
        var failed = false;
        try
        {
            await Jws.SignDetachedAsync(failing, payload, null, CancellationToken.None);
        }
        catch (SigningUnavailableException)
        {
            failed = true;
        }
        failed.ShouldBeTrue();
        var held = failing.Held.ToArray();

        for (var i = 0; i < 8; i++)
        {
            await Jws.SignDetachedAsync(_ring, Encoding.UTF8.GetBytes($$"""{"feedseq":{{i + 2}}}"""), null, CancellationToken.None);
        }

        failing.Held.ToArray().ShouldBe(held);
        Encoding.ASCII.GetString(held).ShouldEndWith("." + Base64Url.Encode(payload));
    }

    /// <summary>Reads the input on both sides of an await, as a remote signer would, and fails if it changed meanwhile.</summary>
    private sealed class YieldingSigner(LocalKeyRing ring) : ISigner
    {
        public string Algorithm => ring.Algorithm;

        public async Task<SignatureResult> SignAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            var before = data.ToArray();
            await Task.Yield();
            var result = await ring.SignAsync(data, cancellationToken);
            await Task.Yield();
            data.Span.SequenceEqual(before).ShouldBeTrue();
            return result;
        }

        public Task<IReadOnlyList<JsonObject>> GetVerificationKeysAsync(CancellationToken cancellationToken) => ring.GetVerificationKeysAsync(cancellationToken);

        public Task<string> GetActiveKeyIdAsync(CancellationToken cancellationToken) => Task.FromResult(ring.ActiveKeyId);
    }

    /// <summary>Keeps the input it was given and fails, as a signer whose request timed out while still being sent.</summary>
    private sealed class FailingSigner(LocalKeyRing ring) : ISigner
    {
        public ReadOnlyMemory<byte> Held { get; private set; }

        public string Algorithm => ring.Algorithm;

        public Task<SignatureResult> SignAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            Held = data;
            throw new SigningUnavailableException("timed out");
        }

        public Task<IReadOnlyList<JsonObject>> GetVerificationKeysAsync(CancellationToken cancellationToken) => ring.GetVerificationKeysAsync(cancellationToken);

        public Task<string> GetActiveKeyIdAsync(CancellationToken cancellationToken) => Task.FromResult(ring.ActiveKeyId);
    }

    /// <summary>Names <paramref name="staleKid"/> (once, or always), as a signer racing a rotation would; signs with the ring.</summary>
    private sealed class StaleFirstSigner(LocalKeyRing ring, string staleKid, bool always = false) : ISigner
    {
        public int Namings { get; private set; }

        public string Algorithm => ring.Algorithm;

        public Task<SignatureResult> SignAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => ring.SignAsync(data, cancellationToken);

        public Task<IReadOnlyList<JsonObject>> GetVerificationKeysAsync(CancellationToken cancellationToken) => ring.GetVerificationKeysAsync(cancellationToken);

        public Task<string> GetActiveKeyIdAsync(CancellationToken cancellationToken) =>
            Task.FromResult(Namings++ == 0 || always ? staleKid : ring.ActiveKeyId);
    }
}
