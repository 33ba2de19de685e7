using System.Text;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Feeds.Envelopes;
using BalticAI.Sovereignty.Contracts.Feeds;
using BalticAI.Sovereignty.Security;
using BenchmarkDotNet.Attributes;
using JasperFx.Events;

namespace BalticAI.Sovereignty.LedgerBenchmarks;

/// <summary>
/// The JSON and JWS steps of one decision that allocate the most, each on its own: the policy input's
/// digest, an event's canonical `data`, sealing one feed envelope (detached JWS, `jws` added, hash for
/// the next `prevhash`) and the grant's compact JWS. Signing uses the embedded key ring.
/// </summary>
[MemoryDiagnoser]
public class DecisionJsonBenchmarks : IDisposable
{
    private const string PrevHash = "sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "balticai-json-bench-" + Guid.NewGuid().ToString("N"));
    private LocalKeyRing _ring = null!;
    private JsonObject _input = null!;
    private IEvent _event = null!;
    private byte[] _unsigned = [];
    private byte[] _claims = [];

    [GlobalSetup]
    public void Setup()
    {
        _ring = new LocalKeyRing(_directory, TimeProvider.System);
        _input = SampleDecision.PolicyInput();
        _event = SampleDecision.Event();
        using (var unsigned = EnvelopeFactory.BuildPooled(_event, EnvelopeFactory.Data(_event), "PL", 123456, PrevHash))
        {
            _unsigned = unsigned.Memory.ToArray();
        }
        // A grant's claims as GrantToken writes them, about 600 bytes.
        _claims = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["iss"] = "https://broker.baltic-ai.eu", ["sub"] = Guid.NewGuid().ToString(), ["jti"] = Guid.NewGuid().ToString(),
            ["iat"] = 1795946400, ["nbf"] = 1795946400, ["exp"] = 1795950000, ["decision"] = Guid.NewGuid().ToString(),
            ["job"] = Guid.NewGuid().ToString(), ["trainingSystem"] = "cyfronet-trainer-1", ["dataset"] = Guid.NewGuid().ToString(),
            ["version"] = 1, ["site"] = Guid.NewGuid().ToString(),
            ["obligations"] = new JsonArray(new JsonObject { ["type"] = "pseudonymise" }, new JsonObject { ["type"] = "keep-on-site", ["site"] = "pl-cyfronet-athena" }),
            ["bundle"] = new JsonObject { ["revision"] = "balticai-default-2026.11.1", ["digest"] = "sha256:" + new string('a', 64) },
        }.ToJsonString());
    }

    [Benchmark(Description = "policy input digest (RFC 8785 of a node tree, SHA-256)")]
    public int PolicyInputDigest() => CanonicalJson.Sha256(_input).Length;

    [Benchmark(Description = "an event's canonical data (serialised, canonicalised, actor added)")]
    public int EnvelopeData() => EnvelopeFactory.Data(_event).Length;

    [Benchmark(Description = "seal one envelope: detached JWS, jws added, hash")]
    public async Task<int> SealEnvelope()
    {
        var body = await FeedEnvelopeSeal.SealAsync(_unsigned, _ring, CancellationToken.None);
        return body.Length + FeedEnvelopeSeal.HashOf(body).Length;
    }

    [Benchmark(Description = "grant compact JWS")]
    public async Task<int> GrantJws() => (await Jws.SignCompactAsync(_ring, _claims, "grant+jwt", CancellationToken.None)).Length;

    public void Dispose()
    {
        _ring?.Dispose();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
        GC.SuppressFinalize(this);
    }
}
