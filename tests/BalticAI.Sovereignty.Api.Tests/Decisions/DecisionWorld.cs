using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Idempotency;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Tests.Shared;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BalticAI.Sovereignty.Api.Tests.Decisions;

/// <summary>Sites, jobs, datasets and bundles for decision tests, through the public API only.</summary>
public static class DecisionWorld
{
    public const string TestPolicy = TestPolicyBundle.Policy;

    public const string TestPolicyTests = TestPolicyBundle.Tests;

    public static JsonObject Bundle(string revision, string policy = TestPolicy, string tests = TestPolicyTests) =>
        TestPolicyBundle.Create(revision, policy, tests);

    /// <summary>The repository's policies/ directory, found upwards from the test binaries.</summary>
    public static string ShippedPolicies()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "policies");
            if (File.Exists(Path.Combine(directory.FullName, "BalticAI.Sovereignty.sln")) && Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException("no policies/ directory above " + AppContext.BaseDirectory);
    }

    /// <summary>The grant as <paramref name="client"/> reads it once its revocation is recorded; fails after 20 s.</summary>
    public static async Task<JsonNode> UntilRevokedAsync(HttpClient client, string grantId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var body = await DatasetApi.ReadJsonAsync(await client.GetAsync($"/grants/{grantId}"));
            if (body["status"]?.GetValue<string>() == "revoked")
            {
                return body;
            }
            DateTime.UtcNow.ShouldBeLessThan(deadline, $"grant {grantId} not revoked within 20 s: {body.ToJsonString()}");
            await Task.Delay(100);
        }
    }

    /// <summary>A bundle body as the broker records it (modules in path order, data under data.balticai), e.g. for its digest.</summary>
    public static Api.Policies.Bundles.PolicyBundle BundleOf(JsonObject body) =>
        System.Text.Json.JsonSerializer.Deserialize<Api.Policies.ActivatingBundle.ActivateBundleEndpoint.ActivateBundle>(body, System.Text.Json.JsonSerializerOptions.Web)!.ToBundle();

    /// <summary>The test bundle with the modules given added to it.</summary>
    public static JsonObject BundleWith(string revision, params (string Path, string Source)[] modules)
    {
        var bundle = Bundle(revision);
        foreach (var (path, source) in modules)
        {
            bundle["modules"]!.AsArray().Add(new JsonObject { ["path"] = path, ["source"] = source });
        }

        return bundle;
    }

    /// <summary>Asks <paramref name="broker"/> to activate the test bundle with one module more, as the EU AI Office's PolicyAdmin.</summary>
    public static Task<HttpResponseMessage> ActivateWithModuleAsync(BrokerFactory broker, string revision, string path, string source) =>
        broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin).PostAsJsonAsync("/policies/bundles", BundleWith(revision, (path, source)));

    public static async Task<string> ActivateAsync(BrokerFactory broker, JsonObject bundle)
    {
        var response = await broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin).PostAsJsonAsync("/policies/bundles", bundle);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await DatasetApi.ReadJsonAsync(response))["digest"]!.GetValue<string>();
    }

    /// <summary>The body of `POST /sites` for a site of pl-cyfronet.</summary>
    public static JsonObject Site(string code, string country, params string[] accreditations) => new()
    {
        ["code"] = code,
        ["name"] = $"Site {code}",
        ["country"] = country,
        ["operator"] = "pl-cyfronet",
        ["accreditations"] = new JsonArray(accreditations.Select(a => (JsonNode)a).ToArray()),
    };

    /// <summary>The body of `POST /training-jobs` for a job of <paramref name="operator"/> on <paramref name="siteId"/>, 2026-2030.</summary>
    public static JsonObject Job(Guid siteId, bool commercial, string @operator = "pl-cyfronet") => new()
    {
        ["operator"] = @operator,
        ["purpose"] = commercial ? "commercial" : "research",
        ["commercial"] = commercial,
        ["generalPurposeModel"] = false,
        ["siteId"] = siteId.ToString(),
        ["model"] = new JsonObject { ["name"] = "bielik-test", ["version"] = "0.1", ["licence"] = "Apache-2.0" },
        ["plannedStart"] = "2026-01-01",
        ["plannedEnd"] = "2030-12-31",
    };

    public static Task<Guid> RegisterSiteAsync(BrokerFactory broker, string code, string country, params string[] accreditations) =>
        RegisterSiteAsync(broker, Site(code, country, accreditations));

    /// <summary>Registers a `POST /sites` body as the EU AI Office's PolicyAdmin and returns the site's id.</summary>
    public static async Task<Guid> RegisterSiteAsync(BrokerFactory broker, JsonObject site)
    {
        var response = await broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin).PostJsonAsync("/sites", site);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return Guid.Parse((await DatasetApi.ReadJsonAsync(response))["id"]!.GetValue<string>());
    }

    /// <summary>A job pl-cyfronet operates unless <paramref name="operator"/> says otherwise, registered by the tenant's training system (pl-cyfronet delegates to pl-speakleash and lt-rc).</summary>
    public static async Task<Guid> RegisterJobAsync(BrokerFactory broker, Guid siteId, bool commercial, string trainingSystemTenant = TestTenants.PlCyfronet, string @operator = "pl-cyfronet")
    {
        var response = await broker.ClientFor(trainingSystemTenant, Roles.TrainingSystem).PostJsonAsync("/training-jobs", Job(siteId, commercial, @operator));
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return Guid.Parse((await DatasetApi.ReadJsonAsync(response))["id"]!.GetValue<string>());
    }

    /// <summary>A job of pl-cyfronet's whose trained weights go to <paramref name="recipientCountry"/>.</summary>
    public static async Task<Guid> RegisterJobWithRecipientAsync(BrokerFactory broker, Guid siteId, string recipientCountry)
    {
        var body = Job(siteId, commercial: false);
        body["recipient"] = new JsonObject { ["country"] = recipientCountry, ["dpfCertified"] = false };
        var response = await broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem).PostJsonAsync("/training-jobs", body);
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

    /// <summary>Asks for one version of <paramref name="dataset"/> for <paramref name="job"/> as its training system (pl-cyfronet's unless named); the one decision.</summary>
    public static async Task<JsonNode> AskForOneAsync(BrokerFactory broker, Guid job, Guid dataset, int version = 1, string trainingSystem = TestTenants.PlCyfronet)
    {
        var asked = await broker.ClientFor(trainingSystem, Roles.TrainingSystem).PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, version)));
        asked.StatusCode.ShouldBe(HttpStatusCode.OK, await asked.Content.ReadAsStringAsync());
        return (await DatasetApi.ReadJsonAsync(asked))["decisions"]![0]!;
    }

    /// <summary>An active grant, its id remembered with its token, of a new non-commercial job on a new site in <paramref name="country"/>, on a new dataset.</summary>
    public static async Task<string> GrantOnNewSiteAsync(BrokerFactory broker, string country, bool researchOnly)
    {
        var site = await RegisterSiteAsync(broker, $"{country.ToLowerInvariant()}-g-{Guid.NewGuid():N}"[..20], country);
        var decided = await AskForOneAsync(broker, await RegisterJobAsync(broker, site, commercial: false), await RegisterDatasetAsync(broker, researchOnly));
        decided["allowed"]!.GetValue<bool>().ShouldBeTrue(decided.ToJsonString());
        return GrantTokens.Remember(decided["grant"]!);
    }

    public static JsonObject Ask(params (Guid Dataset, int Version)[] datasets) => new()
    {
        ["datasets"] = new JsonArray(datasets.Select(d => (JsonNode)new JsonObject { ["datasetId"] = d.Dataset.ToString(), ["version"] = d.Version }).ToArray()),
    };

    /// <summary>Waits until the broker recorded the shipped bundle in policies/ as active at start; returns it.</summary>
    public static async Task<JsonNode> WaitForShippedBundleAsync(BrokerFactory broker)
    {
        var client = broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor);
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var response = await client.GetAsync("/policies/active");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return await DatasetApi.ReadJsonAsync(response);
            }
            await Task.Delay(200);
        }
        throw new ShouldAssertException("the shipped bundle never became active (does it compile and pass its tests?)");
    }

    /// <summary>The kept Idempotency records whose sealed answers open with <paramref name="key"/>, with those answers.</summary>
    public static async Task<List<(IdempotencyRecord Record, string Body)>> KeptAnswersAsync(BrokerFactory broker, string key)
    {
        await using var session = broker.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var opened = new List<(IdempotencyRecord, string)>();
        foreach (var record in await session.Query<IdempotencyRecord>().ToListAsync())
        {
            if (record.Sealed.Length > 0 && record.TryReadBody(AnswerSeal.Key(key, record.Id), out var body))
            {
                opened.Add((record, body));
            }
        }
        return opened;
    }

    public static async Task<long> CountEventsAsync(BrokerFactory broker, string type)
    {
        await using var connection = new NpgsqlConnection(TestServices.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select count(*) from {broker.Schema}.mt_events where type = @type", connection);
        command.Parameters.AddWithValue("type", type);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
