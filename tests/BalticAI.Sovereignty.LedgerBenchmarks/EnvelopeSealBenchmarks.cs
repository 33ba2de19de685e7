using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Decisions;
using BalticAI.Sovereignty.Api.Feeds.Envelopes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
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
        // A decision with its policy input, as recorded: its envelope is about 2.4 kB.
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
        _event = new Event<AccessDecided>(new AccessDecided(
            Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), 1, "pl-cyfronet", Guid.NewGuid(), true, [],
            [new JsonObject { ["type"] = "pseudonymise" }, new JsonObject { ["type"] = "keep-on-site", ["site"] = "pl-cyfronet-athena" }],
            "balticai-default-2026.11.1", "sha256:" + new string('a', 64), "sha256:" + new string('b', 64), input,
            Guid.NewGuid(), DateTimeOffset.UtcNow, ["PL"]))
        {
            Id = Guid.NewGuid(),
            StreamId = Guid.NewGuid(),
            Timestamp = DateTimeOffset.UtcNow,
        };
        _event.Stamp(new Actor("pl-cyfronet", "PL", "cyfronet-trainer-1", "pseudonym"));
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

    [Benchmark(Description = "data canonicalised once, envelopes composed, jws added")]
    public int DataOnceComposed()
    {
        var data = EnvelopeFactory.Data(_event);
        var length = 0;
        foreach (var feed in Feeds)
        {
            length += CanonicalObject.AddString(EnvelopeFactory.Build(_event, data, feed, 123456, PrevHash), "jws", Jws).Length;
        }
        return length;
    }
}
