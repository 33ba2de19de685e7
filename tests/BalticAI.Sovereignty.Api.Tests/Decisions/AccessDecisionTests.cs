using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Security;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;

namespace BalticAI.Sovereignty.Api.Tests.Decisions;

public sealed class AccessDecisionTests(BrokerFactory broker) : IClassFixture<BrokerFactory>, IAsyncLifetime
{
    private string _bundleDigest = "";
    private Guid _plSite;
    private Guid _usSite;

    public async Task InitializeAsync()
    {
        _bundleDigest = await ActivateAsync(broker, Bundle("test-1"));
        _plSite = await RegisterSiteAsync(broker, $"pl-test-{Guid.NewGuid():N}"[..20], "PL", "secure-processing-environment");
        _usSite = await RegisterSiteAsync(broker, $"us-test-{Guid.NewGuid():N}"[..20], "US");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A new client (and token, with a new user) on each use.</summary>
    private HttpClient TrainingSystem => broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem);

    [Fact]
    public async Task Allowed_decision_is_recorded_before_the_answer_with_a_verifiable_grant()
    {
        var job = await RegisterJobAsync(broker, _plSite, commercial: false);
        var dataset = await RegisterDatasetAsync(broker, researchOnly: true);

        var response = await TrainingSystem.PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)));
        var decision = (await DatasetApi.ReadJsonAsync(response))["decisions"]![0]!;

        response.StatusCode.ShouldBe(HttpStatusCode.OK, decision.ToJsonString());
        decision["allowed"]!.GetValue<bool>().ShouldBeTrue();
        decision["reasons"]!.AsArray().ShouldBeEmpty();
        decision["obligations"]![0]!["type"]!.GetValue<string>().ShouldBe("model-inherits-non-commercial");
        decision["bundle"]!["digest"]!.GetValue<string>().ShouldBe(_bundleDigest);
        var decisionId = Guid.Parse(decision["decisionId"]!.GetValue<string>());

        var recorded = await RecordedAsync(decisionId);
        recorded["BundleDigest"]!.GetValue<string>().ShouldBe(_bundleDigest);
        recorded["InputDigest"]!.GetValue<string>().ShouldBe(decision["inputDigest"]!.GetValue<string>());
        CanonicalJson.Sha256(recorded["Input"]).ShouldBe(decision["inputDigest"]!.GetValue<string>());

        var token = decision["grant"]!["token"]!.GetValue<string>();
        var keys = JsonNode.Parse(await broker.CreateClient().GetStringAsync("/.well-known/jwks.json"))!["keys"]!.AsArray().Select(k => k!.AsObject());
        Jws.TryVerify(token, keys, default, out var payload, out _).ShouldBeTrue();
        var claims = JsonNode.Parse(Encoding.UTF8.GetString(payload))!;
        payload.ShouldBe(CanonicalJson.Serialize(claims), "the claims in RFC 8785 form, escaping nothing JSON does not require");
        Encoding.UTF8.GetString(Base64Url.Decode(token.Split('.')[0])).ShouldContain("\"typ\":\"grant+jwt\"");
        claims["decision"]!.GetValue<string>().ShouldBe(decisionId.ToString());
        claims["job"]!.GetValue<string>().ShouldBe(job.ToString());
        claims["dataset"]!.GetValue<string>().ShouldBe(dataset.ToString());
        claims["version"]!.GetValue<int>().ShouldBe(1);
        claims["site"]!.GetValue<string>().ShouldBe(_plSite.ToString());
        claims["aud"]!.GetValue<string>().ShouldBe($"urn:balticai:site:{_plSite}");
        claims["exp"]!.GetValue<long>().ShouldBeGreaterThan(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        claims["obligations"]![0]!["type"]!.GetValue<string>().ShouldBe("model-inherits-non-commercial");
    }

    [Fact]
    public async Task Denied_decision_lists_every_violated_rule_and_grants_nothing()
    {
        var job = await RegisterJobAsync(broker, _usSite, commercial: true);
        var dataset = await RegisterDatasetAsync(broker, researchOnly: true);

        var response = await TrainingSystem.PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)));
        var decision = (await DatasetApi.ReadJsonAsync(response))["decisions"]![0]!;

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        decision["allowed"]!.GetValue<bool>().ShouldBeFalse();
        decision["reasons"]!.AsArray().Select(r => r!["rule"]!.GetValue<string>()).Order().ShouldBe(["research-only", "site-country"]);
        decision["grant"].ShouldBeNull();
        decision["obligations"]!.AsArray().ShouldBeEmpty();
        (await RecordedAsync(Guid.Parse(decision["decisionId"]!.GetValue<string>())))["Allowed"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Fact]
    public async Task Each_dataset_version_is_one_decision()
    {
        var job = await RegisterJobAsync(broker, _plSite, commercial: true);
        var open = await RegisterDatasetAsync(broker, researchOnly: false);
        var research = await RegisterDatasetAsync(broker, researchOnly: true);

        var response = await TrainingSystem.PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((open, 1), (research, 1)));
        var decisions = (await DatasetApi.ReadJsonAsync(response))["decisions"]!.AsArray();

        decisions.Select(d => d!["allowed"]!.GetValue<bool>()).ShouldBe([true, false]);
        decisions.Select(d => d!["decisionId"]!.GetValue<string>()).Distinct().Count().ShouldBe(2);
    }

    [Fact]
    public async Task Only_the_jobs_training_system_may_ask()
    {
        var job = await RegisterJobAsync(broker, _plSite, commercial: false);
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);
        var before = await CountEventsAsync(broker, "access_decided");

        var other = await broker.ClientFor(TestTenants.PlSpeakLeash, Roles.TrainingSystem).PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)));
        var owner = await broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner).PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)));
        // The job's answer comes before anything wrong in the body, though the body is read first.
        var otherMalformed = await broker.ClientFor(TestTenants.PlSpeakLeash, Roles.TrainingSystem).SendAsync(HttpMethod.Post, $"/training-jobs/{job}/access-requests", """{"datasets": [""");

        await Platform.ProblemAndOpenApiTests.ShouldBeProblemAsync(other, HttpStatusCode.Forbidden);
        await Platform.ProblemAndOpenApiTests.ShouldBeProblemAsync(otherMalformed, HttpStatusCode.Forbidden);
        owner.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await CountEventsAsync(broker, "access_decided")).ShouldBe(before);
    }

    [Fact]
    public async Task Bad_requests_are_refused_and_record_nothing()
    {
        var job = await RegisterJobAsync(broker, _plSite, commercial: false);
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);
        var before = await CountEventsAsync(broker, "access_decided");

        var unknownJob = await TrainingSystem.PostJsonAsync($"/training-jobs/{Guid.NewGuid()}/access-requests", Ask((dataset, 1)));
        var unknownDataset = await TrainingSystem.PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1), (Guid.NewGuid(), 1)));
        var unknownVersion = await TrainingSystem.PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 7)));
        var twice = await TrainingSystem.PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1), (dataset, 1)));
        var malformed = await TrainingSystem.SendAsync(HttpMethod.Post, $"/training-jobs/{job}/access-requests", """{"datasets": [{"datasetId": 5}]""");
        var empty = await TrainingSystem.PostJsonAsync($"/training-jobs/{job}/access-requests", new JsonObject { ["datasets"] = new JsonArray() });
        var overflow = await TrainingSystem.SendAsync(HttpMethod.Post, $"/training-jobs/{job}/access-requests", $$"""{"datasets": [{"datasetId": "{{dataset}}", "version": 1e400}]}""");
        var unknownJobMalformed = await TrainingSystem.SendAsync(HttpMethod.Post, $"/training-jobs/{Guid.NewGuid()}/access-requests", """{"datasets": [{"datasetId": 5}]""");

        await Platform.ProblemAndOpenApiTests.ShouldBeProblemAsync(unknownJob, HttpStatusCode.NotFound);
        await Platform.ProblemAndOpenApiTests.ShouldBeProblemAsync(unknownJobMalformed, HttpStatusCode.NotFound);
        var problem = await Platform.ProblemAndOpenApiTests.ShouldBeProblemAsync(unknownDataset, HttpStatusCode.UnprocessableEntity);
        problem["errors"]!.AsObject().Select(e => e.Key).ShouldBe(["/datasets/1/datasetId"]);
        (await Platform.ProblemAndOpenApiTests.ShouldBeProblemAsync(unknownVersion, HttpStatusCode.UnprocessableEntity))["errors"]!["/datasets/0/version"]!.AsArray()
            .Single()!.GetValue<string>().ShouldBe($"dataset {dataset} has no version 7: its only data version is 1");
        (await Platform.ProblemAndOpenApiTests.ShouldBeProblemAsync(twice, HttpStatusCode.UnprocessableEntity))["errors"]!.AsObject().ContainsKey("/datasets/1").ShouldBeTrue();
        await Platform.ProblemAndOpenApiTests.ShouldBeProblemAsync(malformed, HttpStatusCode.BadRequest);
        await Platform.ProblemAndOpenApiTests.ShouldBeProblemAsync(empty, HttpStatusCode.BadRequest);
        (await Platform.ProblemAndOpenApiTests.ShouldBeProblemAsync(overflow, HttpStatusCode.BadRequest))["errors"]!.AsObject().Select(e => e.Key).ShouldBe(["/datasets/0/version"]);
        (await CountEventsAsync(broker, "access_decided")).ShouldBe(before);
    }

    [Fact]
    public async Task Reused_idempotency_key_gets_the_first_answer_and_one_record()
    {
        var job = await RegisterJobAsync(broker, _plSite, commercial: false);
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);
        var key = Guid.NewGuid().ToString();
        var before = await CountEventsAsync(broker, "access_decided");

        var client = TrainingSystem;
        var first = await client.PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)), idempotencyKey: key);
        var again = await client.PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)), idempotencyKey: key);

        (await again.Content.ReadAsStringAsync()).ShouldBe(await first.Content.ReadAsStringAsync());
        (await CountEventsAsync(broker, "access_decided")).ShouldBe(before + 1);
    }

    [Fact]
    public async Task Replay_of_a_recorded_decision_is_identical()
    {
        var job = await RegisterJobAsync(broker, _plSite, commercial: true);
        var dataset = await RegisterDatasetAsync(broker, researchOnly: true);
        var response = await TrainingSystem.PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)));
        var decisionId = (await DatasetApi.ReadJsonAsync(response))["decisions"]![0]!["decisionId"]!.GetValue<string>();

        var replay = await broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor).PostAsync($"/decisions/{decisionId}/replay", null);
        var body = await DatasetApi.ReadJsonAsync(replay);

        replay.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToJsonString());
        body["identical"]!.GetValue<bool>().ShouldBeTrue();
        body["inputDigestMatches"]!.GetValue<bool>().ShouldBeTrue();
        body["replayed"]!["allowed"]!.GetValue<bool>().ShouldBeFalse();
        (await broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor).PostAsync($"/decisions/{Guid.NewGuid()}/replay", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Grant_redemption_is_recorded_and_refused_once_the_dataset_is_withdrawn()
    {
        var (dataset, grantId) = await GrantedAsync();
        var dataPlane = broker.ClientFor(TestTenants.PlCyfronet, Roles.DataPlane);
        var release = GrantTokens.Release(grantId, 4096, DatasetApi.Digest1);

        var redeemed = await dataPlane.PostJsonAsync($"/grants/{grantId}/redemptions", release);
        var owner = broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner);
        var current = await owner.GetAsync($"/datasets/{dataset}");
        var withdrawn = await owner.PostJsonAsync($"/datasets/{dataset}/withdrawal", new JsonObject { ["reason"] = "consent-withdrawn" }, current.Headers.ETag!.ToString());
        var refused = await dataPlane.PostJsonAsync($"/grants/{grantId}/redemptions", release);
        var wrongRole = await TrainingSystem.PostJsonAsync($"/grants/{grantId}/redemptions", release);

        redeemed.StatusCode.ShouldBe(HttpStatusCode.Created, await redeemed.Content.ReadAsStringAsync());
        (await DatasetApi.ReadJsonAsync(redeemed))["bytesReleased"]!.GetValue<long>().ShouldBe(4096);
        withdrawn.IsSuccessStatusCode.ShouldBeTrue(await withdrawn.Content.ReadAsStringAsync());
        await Platform.ProblemAndOpenApiTests.ShouldBeProblemAsync(refused, HttpStatusCode.Conflict);
        wrongRole.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_job_past_its_planned_end_is_refused_a_grant_and_the_replay_agrees()
    {
        var body = Job(_plSite, commercial: false);
        body["plannedEnd"] = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-1)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var registered = await TrainingSystem.PostJsonAsync("/training-jobs", body);
        var job = (await DatasetApi.ReadJsonAsync(registered))["id"]!.GetValue<string>();
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);

        var decision = (await DatasetApi.ReadJsonAsync(await TrainingSystem.PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)))))["decisions"]![0]!;
        var replay = await DatasetApi.ReadJsonAsync(await broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor).PostAsync($"/decisions/{decision["decisionId"]!.GetValue<string>()}/replay", null));

        decision["allowed"]!.GetValue<bool>().ShouldBeFalse();
        decision["reasons"]![0]!["rule"]!.GetValue<string>().ShouldBe("grant-would-expire");
        replay["identical"]!.GetValue<bool>().ShouldBeTrue(replay.ToJsonString());
    }

    [Fact]
    public async Task A_release_of_other_bytes_than_the_granted_version_is_422_and_not_recorded()
    {
        var (_, grantId) = await GrantedAsync();
        var dataPlane = broker.ClientFor(TestTenants.PlCyfronet, Roles.DataPlane);

        var other = await dataPlane.PostJsonAsync($"/grants/{grantId}/redemptions", GrantTokens.Release(grantId, 4096, DatasetApi.Digest2));
        var granted = await dataPlane.PostJsonAsync($"/grants/{grantId}/redemptions", GrantTokens.Release(grantId, 10, DatasetApi.Digest1));

        (await Platform.ProblemAndOpenApiTests.ShouldBeProblemAsync(other, HttpStatusCode.UnprocessableEntity))["detail"]!.GetValue<string>().ShouldContain(DatasetApi.Digest1);
        (await DatasetApi.ReadJsonAsync(granted))["bytesReleased"]!.GetValue<long>().ShouldBe(10);
    }

    /// <summary>A non-commercial job on the Polish site granted a fresh dataset: the dataset and the grant's id.</summary>
    private async Task<(Guid Dataset, string GrantId)> GrantedAsync()
    {
        var job = await RegisterJobAsync(broker, _plSite, commercial: false);
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);
        var response = await TrainingSystem.PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)));
        return (dataset, GrantTokens.Remember((await DatasetApi.ReadJsonAsync(response))["decisions"]![0]!["grant"]!));
    }

    /// <summary>Parallel transfers under one grant each commit against the version the others moved on.</summary>
    [Fact]
    public async Task Parallel_redemptions_of_one_grant_are_all_recorded()
    {
        var (_, grantId) = await GrantedAsync();
        var dataPlane = broker.ClientFor(TestTenants.PlCyfronet, Roles.DataPlane);

        var releases = await Task.WhenAll(Enumerable.Range(1, 12).Select(i =>
            dataPlane.PostJsonAsync($"/grants/{grantId}/redemptions", GrantTokens.Release(grantId, i, DatasetApi.Digest1))));

        foreach (var release in releases)
        {
            release.StatusCode.ShouldBe(HttpStatusCode.Created, await release.Content.ReadAsStringAsync());
        }
        await using var session = broker.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var events = await session.Events.FetchStreamAsync(Guid.Parse(grantId));
        events.Select(e => e.Data).OfType<Api.Decisions.GrantRedeemed>().Sum(r => r.Bytes).ShouldBe(Enumerable.Range(1, 12).Sum());
    }

    [Fact]
    public async Task Dry_run_evaluates_the_active_bundle_and_records_nothing()
    {
        var before = await CountEventsAsync(broker, "access_decided");
        var input = JsonNode.Parse("""{"dataset": {"status": "withdrawn", "licensing": {"restrictions": []}}, "job": {"commercial": false}, "site": {"country": "PL"}}""")!;

        var response = await broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin).PostAsJsonAsync("/policies/evaluate", new { input });
        var body = await DatasetApi.ReadJsonAsync(response);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToJsonString());
        body["result"]!["allow"]!.GetValue<bool>().ShouldBeFalse();
        body["result"]!["reasons"]![0]!["rule"]!.GetValue<string>().ShouldBe("inactive-dataset");
        (await CountEventsAsync(broker, "access_decided")).ShouldBe(before);
    }

    [Fact]
    public async Task Recorded_policy_input_follows_the_published_input_schema()
    {
        var job = await RegisterJobAsync(broker, _plSite, commercial: false);
        var dataset = await RegisterDatasetAsync(broker, researchOnly: true);
        var response = await TrainingSystem.PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)));
        var decisionId = Guid.Parse((await DatasetApi.ReadJsonAsync(response))["decisions"]![0]!["decisionId"]!.GetValue<string>());
        var schema = Json.Schema.JsonSchema.FromText(await File.ReadAllTextAsync(Policies.RepositoryFiles.Path("schemas", "policy-input.schema.json")));

        var input = (await RecordedAsync(decisionId))["Input"]!;
        var result = schema.Evaluate(System.Text.Json.JsonSerializer.SerializeToElement(input), new Json.Schema.EvaluationOptions { OutputFormat = Json.Schema.OutputFormat.List });

        result.IsValid.ShouldBeTrue(string.Join("; ", (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
        input["site"]!["id"]!.GetValue<string>().ShouldBe(_plSite.ToString());
        input["job"]!["site"]!.GetValue<string>().ShouldBe(_plSite.ToString());
        input["dataset"]!["licensing"]!["restrictions"]![0]!.GetValue<string>().ShouldBe("research-only");
    }

    private async Task<JsonNode> RecordedAsync(Guid decisionId)
    {
        await using var session = broker.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var recorded = await session.Events.LoadAsync(decisionId);
        recorded.ShouldNotBeNull($"decision {decisionId} is not in the ledger");
        recorded.StreamId.ShouldBe(decisionId);
        return System.Text.Json.JsonSerializer.SerializeToNode(recorded.Data)!;
    }
}
