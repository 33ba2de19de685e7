using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Decisions;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Ledger;
using JasperFx.Events;

namespace BalticAI.Sovereignty.LedgerBenchmarks;

/// <summary>One allowed decision as recorded, shared by the benchmarks of its JSON work: its envelope is about 2.4 kB.</summary>
public static class SampleDecision
{
    public static JsonObject PolicyInput() => new()
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

    public static IEvent Event()
    {
        var decided = new Event<AccessDecided>(new AccessDecided(
            Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), 1, "pl-cyfronet", Guid.NewGuid(), true, [],
            [new JsonObject { ["type"] = "pseudonymise" }, new JsonObject { ["type"] = "keep-on-site", ["site"] = "pl-cyfronet-athena" }],
            "balticai-default-2026.11.1", "sha256:" + new string('a', 64), "sha256:" + new string('b', 64), PolicyInput(),
            Guid.NewGuid(), DateTimeOffset.UtcNow, ["PL"]))
        {
            Id = Guid.NewGuid(),
            StreamId = Guid.NewGuid(),
            Timestamp = DateTimeOffset.UtcNow,
        };
        decided.Stamp(new Actor("pl-cyfronet", "PL", "cyfronet-trainer-1", "pseudonym"));
        return decided;
    }
}
