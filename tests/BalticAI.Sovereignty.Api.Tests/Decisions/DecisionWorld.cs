using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using Npgsql;

namespace BalticAI.Sovereignty.Api.Tests.Decisions;

/// <summary>Sites, jobs, datasets and bundles for decision tests, through the public API only.</summary>
public static class DecisionWorld
{
    /// <summary>A small bundle whose outcome each test controls through the facts it registers.</summary>
    public const string TestPolicy = """
        package balticai.access

        # METADATA
        # title: Test access decision
        # entrypoint: true
        default allow := false

        allow if count(deny) == 0

        deny contains {"rule": "research-only", "message": "research-only data for a commercial job", "source": "DSM Art. 3"} if {
        	"research-only" in input.dataset.licensing.restrictions
        	input.job.commercial
        }

        deny contains {"rule": "inactive-dataset", "message": "the dataset is not active", "source": "GDPR Art. 17"} if {
        	input.dataset.status != "active"
        }

        deny contains {"rule": "site-country", "message": "the site is outside the allowed countries", "source": "test data"} if {
        	not input.site.country in data.balticai.allowedCountries
        }

        obligations contains {"type": "model-inherits-non-commercial", "dataset": input.dataset.id} if {
        	"research-only" in input.dataset.licensing.restrictions
        }

        decision := {"allow": allow, "reasons": [r | some r in deny], "obligations": [o | some o in obligations]}
        """;

    public const string TestPolicyTests = """
        package balticai.access_test

        import data.balticai.access

        test_allow_plain_dataset if {
        	access.allow with input as {"dataset": {"status": "active", "licensing": {"restrictions": []}}, "job": {"commercial": true}, "site": {"country": "PL"}}
        		with data.balticai.allowedCountries as ["PL"]
        }
        """;

    public static JsonObject Bundle(string revision, string policy = TestPolicy, string tests = TestPolicyTests) => new()
    {
        ["revision"] = revision,
        ["modules"] = new JsonArray(
            new JsonObject { ["path"] = "access/access.rego", ["source"] = policy },
            new JsonObject { ["path"] = "access/access_test.rego", ["source"] = tests }),
        ["data"] = new JsonObject { ["allowedCountries"] = new JsonArray("PL", "EE", "LT", "LV") },
    };

    public static async Task<string> ActivateAsync(BrokerFactory broker, JsonObject bundle)
    {
        var response = await broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin).PostAsJsonAsync("/policies/bundles", bundle);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await DatasetApi.ReadJsonAsync(response))["digest"]!.GetValue<string>();
    }

    public static async Task<Guid> RegisterSiteAsync(BrokerFactory broker, string code, string country, params string[] accreditations)
    {
        var response = await broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin).PostJsonAsync("/sites", new JsonObject
        {
            ["code"] = code,
            ["name"] = $"Site {code}",
            ["country"] = country,
            ["operator"] = "pl-cyfronet",
            ["accreditations"] = new JsonArray(accreditations.Select(a => (JsonNode)a).ToArray()),
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return Guid.Parse((await DatasetApi.ReadJsonAsync(response))["id"]!.GetValue<string>());
    }

    public static async Task<Guid> RegisterJobAsync(BrokerFactory broker, Guid siteId, bool commercial, string trainingSystemTenant = TestTenants.PlCyfronet)
    {
        var response = await broker.ClientFor(trainingSystemTenant, Roles.TrainingSystem).PostJsonAsync("/training-jobs", new JsonObject
        {
            ["operator"] = "pl-cyfronet",
            ["purpose"] = commercial ? "commercial" : "research",
            ["commercial"] = commercial,
            ["generalPurposeModel"] = false,
            ["siteId"] = siteId.ToString(),
            ["model"] = new JsonObject { ["name"] = "bielik-test", ["version"] = "0.1", ["licence"] = "Apache-2.0" },
            ["plannedStart"] = "2026-01-01",
            ["plannedEnd"] = "2030-12-31",
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return Guid.Parse((await DatasetApi.ReadJsonAsync(response))["id"]!.GetValue<string>());
    }

    /// <summary>A dataset of pl-mc with one version; research-only when asked.</summary>
    public static async Task<Guid> RegisterDatasetAsync(BrokerFactory broker, bool researchOnly)
    {
        var owner = broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner);
        var terms = DatasetApi.Terms(title: $"Corpus {Guid.NewGuid():N}");
        if (researchOnly)
        {
            terms["licensing"]!["restrictions"] = new JsonArray("research-only");
        }
        var (id, etag) = await owner.RegisterAsync(terms);
        var version = await owner.PostJsonAsync($"/datasets/{id}/versions", DatasetApi.Version(), etag);
        version.StatusCode.ShouldBe(HttpStatusCode.Created, await version.Content.ReadAsStringAsync());
        return id;
    }

    public static JsonObject Ask(params (Guid Dataset, int Version)[] datasets) => new()
    {
        ["datasets"] = new JsonArray(datasets.Select(d => (JsonNode)new JsonObject { ["datasetId"] = d.Dataset.ToString(), ["version"] = d.Version }).ToArray()),
    };

    public static async Task<long> CountEventsAsync(BrokerFactory broker, string type)
    {
        await using var connection = new NpgsqlConnection(TestServices.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select count(*) from {broker.Schema}.mt_events where type = @type", connection);
        command.Parameters.AddWithValue("type", type);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
