using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Decisions;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;

namespace BalticAI.Sovereignty.Api.Tests.Provenance;

/// <summary>Jobs with redeemed grants and OpenLineage run events, through the public API only.</summary>
public static class ProvenanceWorld
{
    public const string ModelDigest = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

    /// <summary>
    /// Activates the test bundle once the broker has recorded its shipped one: activating earlier races
    /// with that first recording on a fresh ledger, which may then win.
    /// </summary>
    public static async Task ActivateTestBundleAsync(BrokerFactory broker, string revision)
    {
        var client = broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor);
        for (var attempt = 0; attempt < 200 && !(await client.GetAsync("/policies/active")).IsSuccessStatusCode; attempt++)
        {
            await Task.Delay(100);
        }
        await ActivateAsync(broker, Bundle(revision));
    }

    /// <summary>pl-cyfronet's training system unless <paramref name="tenant"/> names the one that registered the job.</summary>
    public static HttpClient TrainingSystem(BrokerFactory broker, string tenant = TestTenants.PlCyfronet) => broker.ClientFor(tenant, Roles.TrainingSystem);

    /// <summary>Asks for the dataset version for the job and returns the grant id (the test bundle allows it).</summary>
    public static async Task<string> GrantAsync(BrokerFactory broker, Guid job, Guid dataset, int version = 1, string trainingSystem = TestTenants.PlCyfronet) =>
        GrantTokens.Remember((await AskForOneAsync(broker, job, dataset, version, trainingSystem))["grant"]!);

    public static async Task RedeemAsync(BrokerFactory broker, string grantId)
    {
        var redeemed = await broker.ClientFor(TestTenants.PlCyfronet, Roles.DataPlane)
            .PostJsonAsync($"/grants/{grantId}/redemptions", GrantTokens.Release(grantId, 1000, DatasetApi.Digest1));
        redeemed.StatusCode.ShouldBe(HttpStatusCode.Created, await redeemed.Content.ReadAsStringAsync());
    }

    /// <summary>A dataset registered by its owner as derived from <paramref name="source"/>, with version 1 published.</summary>
    public static async Task<Guid> RegisterDerivedAsync(BrokerFactory broker, Guid source, string title)
    {
        var owner = broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner);
        var terms = DatasetApi.Terms(title: title);
        terms["lineage"] = new JsonObject { ["derivedFrom"] = new JsonArray(source.ToString()) };
        var (derived, etag) = await owner.RegisterAsync(terms);
        (await owner.PostJsonAsync($"/datasets/{derived}/versions", DatasetApi.Version(), etag)).StatusCode.ShouldBe(HttpStatusCode.Created);
        return derived;
    }

    /// <summary>A job with one granted and redeemed dataset version.</summary>
    public static async Task<(Guid Job, Guid Dataset, string Grant)> GrantedJobAsync(
        BrokerFactory broker, Guid site, bool researchOnly = false, string trainingSystem = TestTenants.PlCyfronet)
    {
        var job = await RegisterJobAsync(broker, site, commercial: false, trainingSystem);
        var dataset = await RegisterDatasetAsync(broker, researchOnly);
        var grant = await GrantAsync(broker, job, dataset, trainingSystem: trainingSystem);
        await RedeemAsync(broker, grant);
        return (job, dataset, grant);
    }

    public static JsonObject Input(Guid dataset, int version = 1) => new()
    {
        ["namespace"] = "balticai://datasets",
        ["name"] = dataset.ToString(),
        ["facets"] = new JsonObject { ["version"] = new JsonObject { ["datasetVersion"] = version.ToString() } },
    };

    public static JsonObject ModelOutput(string modelId, string version, (string Id, string Version)? baseModel = null)
    {
        var facet = new JsonObject { ["digest"] = ModelDigest };
        if (baseModel is { } b)
        {
            facet["baseModel"] = new JsonObject { ["modelId"] = b.Id, ["version"] = b.Version };
        }
        return new JsonObject
        {
            ["namespace"] = "balticai://models",
            ["name"] = modelId,
            ["facets"] = new JsonObject { ["version"] = new JsonObject { ["datasetVersion"] = version }, ["balticai_model"] = facet },
        };
    }

    public static JsonObject RunEvent(string type, Guid run, Guid job, IEnumerable<JsonObject> inputs, IEnumerable<JsonObject>? outputs = null, DateTimeOffset? at = null) => new()
    {
        ["eventType"] = type,
        ["eventTime"] = (at ?? DateTimeOffset.UtcNow).ToString("O"),
        ["run"] = new JsonObject { ["runId"] = run.ToString() },
        ["job"] = new JsonObject { ["namespace"] = "balticai://training-jobs", ["name"] = job.ToString() },
        ["inputs"] = new JsonArray(inputs.Select(i => (JsonNode)i).ToArray()),
        ["outputs"] = new JsonArray((outputs ?? []).Select(o => (JsonNode)o).ToArray()),
        ["producer"] = "https://github.com/balticai/test-trainer",
        ["schemaURL"] = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
    };

    public static Task<HttpResponseMessage> ReportAsync(BrokerFactory broker, JsonObject runEvent, string trainingSystem = TestTenants.PlCyfronet) =>
        TrainingSystem(broker, trainingSystem).PostJsonAsync("/api/v1/lineage", runEvent);

    public static async Task<JsonNode> ReportOkAsync(BrokerFactory broker, JsonObject runEvent, string trainingSystem = TestTenants.PlCyfronet)
    {
        var response = await ReportAsync(broker, runEvent, trainingSystem);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await DatasetApi.ReadJsonAsync(response);
    }

    /// <summary>Version 1 of the model once it carries a flag, as <paramref name="client"/> reads it; fails after 20 s.</summary>
    public static async Task<JsonNode> FlaggedAsync(HttpClient client, string modelId)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            var response = await client.GetAsync($"/models/{modelId}/versions/1");
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            var body = await DatasetApi.ReadJsonAsync(response);
            if (body["flags"]!.AsArray().Count > 0)
            {
                return body;
            }
            await Task.Delay(100);
        }
        throw new ShouldAssertException($"{modelId} was not flagged within 20 s");
    }

    /// <summary>START, RUNNING and COMPLETE of one run over the inputs, producing the model version.</summary>
    public static async Task<Guid> TrainAsync(BrokerFactory broker, Guid job, IReadOnlyList<JsonObject> inputs, JsonObject model, string trainingSystem = TestTenants.PlCyfronet)
    {
        var run = Guid.NewGuid();
        var start = DateTimeOffset.UtcNow;
        await ReportOkAsync(broker, RunEvent("START", run, job, inputs.Select(i => i.DeepClone().AsObject()), at: start), trainingSystem);
        await ReportOkAsync(broker, RunEvent("RUNNING", run, job, inputs.Select(i => i.DeepClone().AsObject()), at: start.AddSeconds(1)), trainingSystem);
        await ReportOkAsync(broker, RunEvent("COMPLETE", run, job, inputs.Select(i => i.DeepClone().AsObject()), [model], start.AddSeconds(2)), trainingSystem);
        return run;
    }
}
