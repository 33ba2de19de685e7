using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Feeds.Envelopes;
using BalticAI.Sovereignty.Api.Ledger;
using BalticAI.Sovereignty.Contracts.Feeds;
using BalticAI.Sovereignty.Security;
using BenchmarkDotNet.Attributes;
using JasperFx.Events;

namespace BalticAI.Sovereignty.LedgerBenchmarks;

/// <summary>
/// The feed sealer's JSON work for one decision event on its two feeds (PL and EU), signature left out
/// (the same in both). The baseline is what the sealer did until session 6: per feed, a node tree of the
/// envelope with the event serialised into it, canonicalised, `jws` added to the canonical bytes. Now the
/// event's data are canonicalised once and each feed's envelope is composed around them
/// (<see cref="CanonicalObjectBuilder"/>). An allowed decision seals two such events (decision, grant).
/// </summary>
[MemoryDiagnoser]
public class EnvelopeSealBenchmarks
{
    private const string Jws = "eyJhbGciOiJFUzI1NiIsImtpZCI6ImJyb2tlci0yMDI2LTExIn0..MEUCIQDx3v2bJm0Jr2u9y8Y6b3dQk1VwGx7uOq0fW2nE7dA4TgIgL0c6Q8mH1zV3a5pX9rK2sT4uY6wB8eD0fG2hJ4kL6mN";
    private static readonly string[] Feeds = ["PL", "EU"];
    private const string PrevHash = "sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc";
    private IEvent _event = null!;

    [GlobalSetup]
    public void Setup()
    {
        _event = SampleDecision.Event();
    }

    [Benchmark(Baseline = true, Description = "node tree per feed, canonicalised, jws added")]
    public int NodeTreePerFeed()
    {
        var length = 0;
        foreach (var feed in Feeds)
        {
            var actor = _event.ReadActor()!;
            var envelope = new JsonObject
            {
                ["specversion"] = "1.0", ["id"] = _event.Id.ToString(), ["source"] = FeedNames.Source(feed), ["type"] = EnvelopeFactory.TypeOf(_event.EventType),
                ["time"] = _event.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
                ["subject"] = _event.StreamId.ToString(), ["datacontenttype"] = "application/json",
                ["data"] = new JsonObject
                {
                    ["actor"] = new JsonObject { ["organisation"] = actor.Organisation, ["country"] = actor.Country, ["application"] = actor.Application },
                    ["event"] = JsonSerializer.SerializeToNode(_event.Data, _event.EventType, FactsOnly.Options),
                },
                ["feedseq"] = 123456, ["prevhash"] = PrevHash,
            };
            length += CanonicalObject.AddString(CanonicalJson.Serialize(envelope), "jws", Jws).Length;
        }
        return length;
    }

    [Benchmark(Description = "data canonicalised once, envelopes composed in pooled arrays, jws added (as FeedSealer does)")]
    public int DataOncePooled()
    {
        var data = EnvelopeFactory.Data(_event);
        var length = 0;
        foreach (var feed in Feeds)
        {
            using var unsigned = EnvelopeFactory.BuildPooled(_event, data, feed, 123456, PrevHash);
            length += CanonicalObject.AddString(unsigned.Memory.Span, "jws", Jws).Length;
        }
        return length;
    }
}
