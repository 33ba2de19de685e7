using System.Security.Cryptography;
using BalticAI.Sovereignty.Api.Infrastructure.Idempotency;
using BenchmarkDotNet.Attributes;

namespace BalticAI.Sovereignty.Benchmarks;

/// <summary>
/// What sealing a kept answer adds to a keyed request: deriving the key from the Idempotency-Key (every
/// keyed request), sealing the answer (the first) and opening it (each retry), for an access decision's
/// answer of the size the load test produces (one decision with its grant, about 2.5 KB).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class KeptAnswerBenchmark
{
    private const string RecordId = "5b0d6f8a3f5e4d0c9a7b1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b";
    private readonly string _idempotencyKey = Guid.NewGuid().ToString();
    private string _answer = "";
    private byte[] _key = [];
    private string _sealed = "";

    [GlobalSetup]
    public void Setup()
    {
        _answer = "{\"decisions\":[{\"grant\":{\"token\":\"" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(1400)) + "\"},\"reasons\":[],\"obligations\":"
            + new string('x', 600) + "}]}";
        _key = AnswerSeal.Key(_idempotencyKey, RecordId);
        _sealed = AnswerSeal.Seal(_key, RecordId, _answer);
    }

    [Benchmark]
    public byte[] DeriveKey() => AnswerSeal.Key(_idempotencyKey, RecordId);

    [Benchmark]
    public string Seal() => AnswerSeal.Seal(_key, RecordId, _answer);

    [Benchmark]
    public bool Open() => AnswerSeal.TryOpen(_key, RecordId, _sealed, out _);
}
