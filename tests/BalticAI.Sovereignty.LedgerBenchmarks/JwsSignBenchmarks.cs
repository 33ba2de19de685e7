using System.Security.Cryptography;
using BalticAI.Sovereignty.Security;
using BenchmarkDotNet.Attributes;

namespace BalticAI.Sovereignty.LedgerBenchmarks;

/// <summary>
/// Signing one 2.4 kB feed envelope (detached JWS) with the embedded key ring, against the baseline of the
/// bare ECDSA P-256 signature over the same bytes: the difference is what the JWS layer costs. A decision
/// makes five such signatures (grant, four envelopes).
/// </summary>
[MemoryDiagnoser]
public class JwsSignBenchmarks : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "balticai-jws-bench-" + Guid.NewGuid().ToString("N"));
    private LocalKeyRing _ring = null!;
    private ECDsa _key = null!;
    private byte[] _payload = [];

    [GlobalSetup]
    public void Setup()
    {
        _ring = new LocalKeyRing(_directory, TimeProvider.System);
        _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _payload = new byte[2400];
        Random.Shared.NextBytes(_payload);
    }

    [Benchmark(Baseline = true, Description = "ECDSA P-256 over the payload")]
    public int BareSignature() => _key.SignData(_payload, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation).Length;

    [Benchmark(Description = "detached JWS with the local key ring")]
    public async Task<int> DetachedJws() => (await Jws.SignDetachedAsync(_ring, _payload, null, CancellationToken.None)).Length;

    public void Dispose()
    {
        _ring?.Dispose();
        _key?.Dispose();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
        GC.SuppressFinalize(this);
    }
}
