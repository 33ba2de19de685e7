using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Security;
using BenchmarkDotNet.Attributes;

namespace BalticAI.Sovereignty.LedgerBenchmarks;

/// <summary>
/// The feed sealer's canonical JSON work per envelope, signature left out (the same in both): the
/// baseline canonicalises the envelope to sign it and again with its `jws` to store it (what the sealer
/// did until session 5); the sealer now adds `jws` to the signed bytes (<see cref="CanonicalObject"/>).
/// An allowed decision seals four such envelopes (two events, PL and EU feeds).
/// </summary>
[MemoryDiagnoser]
public class EnvelopeSealBenchmarks
{
    private const string Jws = "eyJhbGciOiJFUzI1NiIsImtpZCI6ImJyb2tlci0yMDI2LTExIn0..MEUCIQDx3v2bJm0Jr2u9y8Y6b3dQk1VwGx7uOq0fW2nE7dA4TgIgL0c6Q8mH1zV3a5pX9rK2sT4uY6wB8eD0fG2hJ4kL6mN";
    private JsonObject _envelope = new();

    [GlobalSetup]
    public void Setup()
    {
        // A decision envelope as the feeds send it: CloudEvents attributes and the event with its policy input (about 2.4 kB).
        var input = new JsonObject
        {
            ["dataset"] = new JsonObject
            {
                ["id"] = Guid.NewGuid().ToString(), ["version"] = 1, ["owner"] = "pl-nask", ["countries"] = new JsonArray("PL"),
                ["categories"] = new JsonArray("personal-data", "text"), ["licence"] = "CC-BY-4.0", ["tdmOptOut"] = false,
                ["origin"] = new JsonObject { ["sourceUri"] = "https://data.example.pl/corpus/v1", ["preparationSteps"] = new JsonArray("deduplicated", "pseudonymised", "filtered") },
                ["use"] = new JsonObject { ["commercial"] = true, ["purposes"] = new JsonArray("research", "public-sector-service"), ["expires"] = "2027-12-31" },
                ["personalData"] = new JsonObject { ["originalPurpose"] = "research", ["compatibilityAssessment"] = "https://dpo.example.pl/assessments/17", ["legalBasis"] = "public-task" },
            },
            ["job"] = new JsonObject
            {
                ["id"] = Guid.NewGuid().ToString(), ["operator"] = "pl-cyfronet", ["operatorCountry"] = "PL", ["purpose"] = "research",
                ["commercial"] = false, ["generalPurpose"] = false, ["model"] = new JsonObject { ["name"] = "pllum-research", ["base"] = "pllum-8b" },
                ["plannedStart"] = "2026-12-01", ["plannedEnd"] = "2027-03-31",
            },
            ["site"] = new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["country"] = "PL", ["operator"] = "pl-cyfronet", ["accreditations"] = new JsonArray("secure-processing-environment", "pl-restricted") },
            ["caller"] = new JsonObject { ["organisation"] = "pl-cyfronet", ["country"] = "PL", ["roles"] = new JsonArray("TrainingSystem") },
            ["time"] = "2026-11-29T10:00:00.000000Z",
        };
        _envelope = new JsonObject
        {
            ["specversion"] = "1.0", ["id"] = Guid.NewGuid().ToString(), ["source"] = "urn:balticai:feeds:pl", ["type"] = "eu.baltic-ai.sovereignty.access-decided",
            ["time"] = "2026-11-29T10:00:00.000000Z", ["subject"] = Guid.NewGuid().ToString(), ["datacontenttype"] = "application/json",
            ["data"] = new JsonObject
            {
                ["actor"] = new JsonObject { ["organisation"] = "pl-cyfronet", ["country"] = "PL", ["application"] = "cyfronet-trainer-1" },
                ["event"] = new JsonObject
                {
                    ["decisionId"] = Guid.NewGuid().ToString(), ["allowed"] = true, ["reasons"] = new JsonArray(),
                    ["obligations"] = new JsonArray(new JsonObject { ["type"] = "pseudonymise" }, new JsonObject { ["type"] = "keep-on-site", ["site"] = "pl-cyfronet-athena" }),
                    ["bundleRevision"] = "balticai-default-2026.11.1", ["bundleDigest"] = "sha256:" + new string('a', 64), ["inputDigest"] = "sha256:" + new string('b', 64),
                    ["input"] = input, ["grantId"] = Guid.NewGuid().ToString(), ["decidedAt"] = "2026-11-29T10:00:00+00:00", ["countries"] = new JsonArray("PL"),
                },
            },
            ["feedseq"] = 123456, ["prevhash"] = "sha256:" + new string('c', 64),
        };
    }

    private byte[] _signed = [];

    [GlobalSetup(Target = nameof(AddJwsOnly))]
    public void SetupSigned()
    {
        Setup();
        _signed = CanonicalJson.Serialize(_envelope);
    }

    [Benchmark(Description = "add jws to canonical bytes only")]
    public int AddJwsOnly() => CanonicalObject.AddString(_signed, "jws", Jws).Length;

    [Benchmark(Description = "canonicalise only")]
    public int CanonicaliseOnly() => CanonicalJson.Serialize(_envelope).Length;

    [Benchmark(Baseline = true, Description = "canonicalise to sign, then again with jws to store")]
    public int CanonicaliseTwice()
    {
        var signed = CanonicalJson.Serialize(_envelope);
        _envelope["jws"] = Jws;
        var stored = CanonicalJson.Serialize(_envelope);
        _envelope.Remove("jws");
        return signed.Length + stored.Length;
    }

    [Benchmark(Description = "canonicalise to sign, add jws to the signed bytes")]
    public int CanonicaliseOnce()
    {
        var signed = CanonicalJson.Serialize(_envelope);
        return signed.Length + CanonicalObject.AddString(signed, "jws", Jws).Length;
    }
}
