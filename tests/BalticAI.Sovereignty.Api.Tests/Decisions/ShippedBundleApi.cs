using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;

namespace BalticAI.Sovereignty.Api.Tests.Decisions;

/// <summary>Registering through the API and reading what the shipped bundle decided, for tests of the shipped rules.</summary>
public static class ShippedBundleApi
{
    /// <summary>Documented origin, preparation steps and licence: what the origin rule asks of every dataset.</summary>
    public static JsonObject Documented(string title, string country = "PL")
    {
        var terms = DatasetApi.Terms($"{title} {Guid.NewGuid():N}", country);
        terms["origin"]!["sourceUri"] = "https://orka.sejm.gov.pl/";
        terms["origin"]!["preparationSteps"] = new JsonArray("speaker attribution", "deduplication");
        return terms;
    }

    /// <summary>Documented health data with an EHDS permit, an Art. 9 exception and a DPIA, collected for health research.</summary>
    public static JsonObject HealthTerms()
    {
        var health = Documented("Hospital discharge notes");
        health["sector"] = new JsonObject { ["health"] = true };
        health["personalData"] = new JsonObject
        {
            ["containsPersonalData"] = true, ["specialCategories"] = new JsonArray("health"), ["lawfulBasis"] = "public-task",
            ["originalPurpose"] = "health-research", ["pseudonymisationMethod"] = "keyed-hash",
        };
        health["evidence"] = new JsonObject
        {
            ["dataPermit"] = Evidence("EHDS-PL-2026-0042"), ["art9Exception"] = Evidence("art-9-2-j"), ["dpia"] = Evidence("DPIA-2026-07"),
        };
        return health;
    }

    public static JsonObject Evidence(string reference) => new() { ["reference"] = reference };

    /// <summary>Registers a dataset of pl-mc with one version.</summary>
    public static async Task<Guid> RegisterAsync(BrokerFactory broker, JsonObject terms)
    {
        var owner = broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner);
        var (id, etag) = await owner.RegisterAsync(terms);
        var version = await owner.PostJsonAsync($"/datasets/{id}/versions", DatasetApi.Version(), etag);
        version.StatusCode.ShouldBe(HttpStatusCode.Created, await version.Content.ReadAsStringAsync());
        return id;
    }

    /// <summary>Registers a job of pl-cyfronet (shaped by <paramref name="shape"/>) and returns its decision on version 1 of <paramref name="dataset"/>.</summary>
    public static Task<JsonNode> DecideAsync(BrokerFactory broker, Guid site, Guid dataset, Action<JsonObject> shape)
    {
        var job = DecisionWorld.Job(site, commercial: false);
        shape(job);
        return DecideAsync(broker, dataset, job);
    }

    /// <summary>Registers <paramref name="job"/> (`POST /training-jobs` body) for pl-cyfronet and returns its decision on version 1 of <paramref name="dataset"/>.</summary>
    public static async Task<JsonNode> DecideAsync(BrokerFactory broker, Guid dataset, JsonObject job)
    {
        var trainer = broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem);
        var registered = await trainer.PostJsonAsync("/training-jobs", job);
        registered.StatusCode.ShouldBe(HttpStatusCode.Created, await registered.Content.ReadAsStringAsync());
        var jobId = (await DatasetApi.ReadJsonAsync(registered))["id"]!.GetValue<string>();
        var response = await trainer.PostJsonAsync($"/training-jobs/{jobId}/access-requests", DecisionWorld.Ask((dataset, 1)));
        var body = await DatasetApi.ReadJsonAsync(response);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToJsonString());
        return body["decisions"]![0]!;
    }

    public static List<string> Rules(JsonNode decision) =>
        decision["reasons"]!.AsArray().Select(r => r!["rule"]!.GetValue<string>()).Distinct().Order().ToList();

    public static List<string> Messages(JsonNode decision) =>
        decision["reasons"]!.AsArray().Select(r => r!["message"]!.GetValue<string>()).ToList();

    public static List<string> Types(JsonNode decision, string member) =>
        decision[member]!.AsArray().Select(o => o!["type"]!.GetValue<string>()).Distinct().Order().ToList();
}
