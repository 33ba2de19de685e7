using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Decisions;
using BalticAI.Sovereignty.Api.Infrastructure.Idempotency;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Ledger;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;

namespace BalticAI.Sovereignty.Api.Tests.Decisions;

/// <summary>
/// Data asked for after it had to stop (a closed job, a suspended site, a withdrawn version) is refused before any policy
/// and each refused version is recorded, so the ledger shows the attempt; malformed requests and unknown data still
/// record nothing.
/// </summary>
public sealed class RefusedAccessTests(BrokerFactory broker) : IClassFixture<BrokerFactory>, IAsyncLifetime
{
    private Guid _site;

    public async Task InitializeAsync()
    {
        await ActivateAsync(broker, Bundle("refusals-1"));
        _site = await RegisterSiteAsync(broker, Code(), "PL");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_closed_jobs_request_records_one_refusal_per_asked_version_once_per_Idempotency_Key()
    {
        var job = await RegisterJobAsync(broker, _site, commercial: false);
        var (first, second) = (await RegisterDatasetAsync(broker, researchOnly: false), await RegisterDatasetAsync(broker, researchOnly: false));
        (await TrainingSystem().PostJsonAsync($"/training-jobs/{job}/closure", new JsonObject { ["outcome"] = "completed" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var (decided, refusedBefore) = (await CountEventsAsync(broker, "access_decided"), await CountEventsAsync(broker, "access_refused"));
        var key = Guid.NewGuid().ToString();

        var client = TrainingSystem();
        var asked = await client.PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((first, 1), (second, 1)), idempotencyKey: key);
        var retried = await client.PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((first, 1), (second, 1)), idempotencyKey: key);

        var problem = await DatasetApi.ReadJsonAsync(asked);
        asked.StatusCode.ShouldBe(HttpStatusCode.Conflict, problem.ToJsonString());
        asked.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        problem["title"]!.GetValue<string>().ShouldBe("The job is closed");
        var refusals = problem["refusals"]!.AsArray();
        refusals.Select(r => (r!["datasetId"]!.GetValue<Guid>(), r["version"]!.GetValue<int>(), r["reason"]!.GetValue<string>()))
            .ShouldBe([(first, 1, "job-closed:completed"), (second, 1, "job-closed:completed")]);
        retried.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        retried.Headers.GetValues(IdempotencyFilter.ReplayedHeader).Single().ShouldBe("true");
        (await DatasetApi.ReadJsonAsync(retried))["refusals"]!.ToJsonString().ShouldBe(refusals.ToJsonString());
        (await CountEventsAsync(broker, "access_refused")).ShouldBe(refusedBefore + 2);
        (await CountEventsAsync(broker, "access_decided")).ShouldBe(decided);
        await using (var session = broker.Services.GetRequiredService<IDocumentStore>().QuerySession())
        {
            var stored = await session.Events.FetchStreamAsync(refusals[0]!["refusalId"]!.GetValue<Guid>());
            var refused = stored.Single();
            refused.Id.ShouldBe(refusals[0]!["refusalId"]!.GetValue<Guid>());
            refused.ReadActor()!.Organisation.ShouldBe("pl-cyfronet");
            var data = refused.Data.ShouldBeOfType<AccessRefused>();
            (data.JobId, data.DatasetId, data.Version, data.SiteId, data.TrainingSystem).ShouldBe((job, first, 1, _site, "pl-cyfronet"));
            data.Countries.ShouldBe(["PL"]);
        }
        var listed = await UntilListedAsync($"/training-jobs/{job}/decisions?type=AccessRefused", TrainingSystem(), 2);
        listed.Select(e => e!["eventId"]!.GetValue<Guid>()).ShouldBe(refusals.Select(r => r!["refusalId"]!.GetValue<Guid>()));
        var owners = await UntilListedAsync($"/datasets/{second}/decisions", broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner), 1);
        owners.Single()!["data"]!["reason"]!.GetValue<string>().ShouldBe("job-closed:completed");
        // The refusal id is its ledger event's: anyone holding it proves the refusal is in the transparency log.
        var entry = await UntilInTheTreeAsync(refusals[1]!["refusalId"]!.GetValue<Guid>());
        entry["proof"].ShouldNotBeNull(entry.ToJsonString());
        entry["entry"]!["eventId"]!.GetValue<Guid>().ShouldBe(refusals[1]!["refusalId"]!.GetValue<Guid>());
    }

    [Fact]
    public async Task A_suspended_sites_job_has_its_request_refused_and_recorded_with_the_suspensions_reason()
    {
        var site = await RegisterSiteAsync(broker, Code(), "PL");
        var job = await RegisterJobAsync(broker, site, commercial: false);
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);
        (await broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin).SendAsync(HttpMethod.Post, $"/sites/{site}/suspension", """{"reason": "accreditation-review"}""", "\"1\""))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        var decided = await CountEventsAsync(broker, "access_decided");

        var asked = await TrainingSystem().PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)));

        var problem = await DatasetApi.ReadJsonAsync(asked);
        asked.StatusCode.ShouldBe(HttpStatusCode.Conflict, problem.ToJsonString());
        problem["title"]!.GetValue<string>().ShouldBe("The job's site is suspended");
        problem["refusals"]!.AsArray().Single()!["reason"]!.GetValue<string>().ShouldBe("site-suspended:accreditation-review");
        (await UntilListedAsync($"/training-jobs/{job}/decisions?type=AccessRefused", TrainingSystem(), 1)).Single()!["data"]!["datasetId"]!.GetValue<Guid>().ShouldBe(dataset);
        (await CountEventsAsync(broker, "access_decided")).ShouldBe(decided);
    }

    [Fact]
    public async Task A_withdrawn_version_is_refused_and_recorded_and_nothing_else_in_its_request_is_decided()
    {
        var job = await RegisterJobAsync(broker, _site, commercial: false);
        var (withdrawn, other) = (await RegisterDatasetAsync(broker, researchOnly: false), await RegisterDatasetAsync(broker, researchOnly: false));
        await WithdrawFirstVersionAsync(withdrawn);
        var decided = await CountEventsAsync(broker, "access_decided");

        var asked = await TrainingSystem().PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((other, 1), (withdrawn, 1)));

        var problem = await DatasetApi.ReadJsonAsync(asked);
        asked.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity, problem.ToJsonString());
        problem["errors"]!.AsObject().Select(e => e.Key).ShouldBe(["/datasets/1/version"]);
        problem["errors"]!["/datasets/1/version"]![0]!.GetValue<string>().ShouldContain($"version 1 of dataset {withdrawn} was withdrawn (erasure-request)");
        var refusal = problem["refusals"]!.AsArray().Single()!;
        (refusal["datasetId"]!.GetValue<Guid>(), refusal["reason"]!.GetValue<string>()).ShouldBe((withdrawn, "dataset-version-withdrawn:erasure-request"));
        (await UntilListedAsync($"/datasets/{withdrawn}/decisions?type=AccessRefused", broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner), 1))
            .Single()!["eventId"]!.GetValue<Guid>().ShouldBe(refusal["refusalId"]!.GetValue<Guid>());
        (await CountEventsAsync(broker, "access_decided")).ShouldBe(decided);
    }

    [Fact]
    public async Task Unknown_data_or_a_malformed_body_beside_a_refusal_records_nothing()
    {
        var job = await RegisterJobAsync(broker, _site, commercial: false);
        var withdrawn = await RegisterDatasetAsync(broker, researchOnly: false);
        await WithdrawFirstVersionAsync(withdrawn);
        var unknown = Guid.NewGuid();
        var refused = await CountEventsAsync(broker, "access_refused");

        var withUnknown = await TrainingSystem().PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((unknown, 1), (withdrawn, 1)));
        (await TrainingSystem().PostJsonAsync($"/training-jobs/{job}/closure", new JsonObject { ["outcome"] = "failed" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var malformed = await TrainingSystem().PostJsonAsync($"/training-jobs/{job}/access-requests", new JsonObject { ["datasets"] = "all of them" });
        var unknownAfterClosure = await TrainingSystem().PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((unknown, 1)));

        var problem = await DatasetApi.ReadJsonAsync(withUnknown);
        withUnknown.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity, problem.ToJsonString());
        problem["errors"]!.AsObject().Select(e => e.Key).ShouldBe(["/datasets/0/datasetId", "/datasets/1/version"]);
        problem["refusals"].ShouldBeNull();
        problem["detail"]!.GetValue<string>().ShouldContain("Nothing was recorded");
        malformed.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        unknownAfterClosure.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await CountEventsAsync(broker, "access_refused")).ShouldBe(refused);
    }

    [Fact]
    public async Task A_refusal_is_read_by_its_id_by_those_who_would_read_its_decision_and_nobody_else()
    {
        var job = await RegisterJobAsync(broker, _site, commercial: false);
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);
        var allowed = await AskForOneAsync(broker, job, dataset);
        (await TrainingSystem().PostJsonAsync($"/training-jobs/{job}/closure", new JsonObject { ["outcome"] = "cancelled" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var asked = await TrainingSystem().PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)));
        var refusalId = (await DatasetApi.ReadJsonAsync(asked))["refusals"]!.AsArray().Single()!["refusalId"]!.GetValue<Guid>();

        var read = await TrainingSystem().GetAsync($"/refusals/{refusalId}");

        var refusal = await DatasetApi.ReadJsonAsync(read);
        read.StatusCode.ShouldBe(HttpStatusCode.OK, refusal.ToJsonString());
        (refusal["refusalId"]!.GetValue<Guid>(), refusal["jobId"]!.GetValue<Guid>(), refusal["datasetId"]!.GetValue<Guid>(), refusal["version"]!.GetValue<int>())
            .ShouldBe((refusalId, job, dataset, 1));
        (refusal["siteId"]!.GetValue<Guid>(), refusal["trainingSystem"]!.GetValue<string>(), refusal["reason"]!.GetValue<string>()).ShouldBe((_site, "pl-cyfronet", "job-closed:cancelled"));
        refusal["countries"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe(["PL"]);
        foreach (var (tenant, role) in new[] { (TestTenants.PlMinistry, Roles.DataOwner), (TestTenants.EuAiOffice, Roles.Auditor), (TestTenants.PlUodo, Roles.Regulator), (TestTenants.EuAiOffice, Roles.PolicyAdmin) })
        {
            (await broker.ClientFor(tenant, role).GetAsync($"/refusals/{refusalId}")).StatusCode.ShouldBe(HttpStatusCode.OK, $"{tenant} {role}");
        }
        foreach (var (tenant, role) in new[] { (TestTenants.EeRia, Roles.TrainingSystem), (TestTenants.PlSpeakLeash, Roles.DataOwner), (TestTenants.LvDvi, Roles.Regulator) })
        {
            var hidden = await broker.ClientFor(tenant, role).GetAsync($"/refusals/{refusalId}");
            hidden.StatusCode.ShouldBe(HttpStatusCode.NotFound, $"{tenant} {role}");
            (await DatasetApi.ReadJsonAsync(hidden))["title"]!.GetValue<string>().ShouldBe("No such refusal");
            (await DatasetApi.ReadJsonAsync(await broker.ClientFor(tenant, role).GetAsync($"/decisions/{refusalId}")))["refusal"].ShouldBeNull();
        }
        // The decision id is not a refusal's, and a refusal id at /decisions points to where the refusal is.
        (await TrainingSystem().GetAsync($"/refusals/{allowed["decisionId"]!.GetValue<Guid>()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await TrainingSystem().GetAsync($"/refusals/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var atDecisions = await TrainingSystem().GetAsync($"/decisions/{refusalId}");
        atDecisions.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var pointer = await DatasetApi.ReadJsonAsync(atDecisions);
        (pointer["title"]!.GetValue<string>(), pointer["refusal"]!.GetValue<string>()).ShouldBe(("Not a decision", $"/refusals/{refusalId}"));
    }

    private HttpClient TrainingSystem() => broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem);

    private async Task WithdrawFirstVersionAsync(Guid dataset)
    {
        var owner = broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner);
        var etag = (await owner.GetAsync($"/datasets/{dataset}")).Headers.ETag!.ToString();
        (await owner.SendAsync(HttpMethod.Post, $"/datasets/{dataset}/versions/1/withdrawal", """{"reason": "erasure-request"}""", etag)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    /// <summary>The listing's items once it holds <paramref name="count"/> (the event index trails commits by the daemon's delay).</summary>
    private static async Task<JsonArray> UntilListedAsync(string path, HttpClient client, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var response = await client.GetAsync(path);
            var items = (await DatasetApi.ReadJsonAsync(response))["items"]?.AsArray();
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            if (items!.Count >= count || DateTime.UtcNow > deadline)
            {
                items.Count.ShouldBe(count, path);
                return items;
            }
            await Task.Delay(200);
        }
    }

    private async Task<JsonNode> UntilInTheTreeAsync(Guid eventId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var response = await broker.CreateClient().GetAsync($"/ledger/entries/by-event/{eventId}");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return await DatasetApi.ReadJsonAsync(response);
            }
            response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            DateTime.UtcNow.ShouldBeLessThan(deadline, $"event {eventId} never reached the ledger's tree");
            await Task.Delay(200);
        }
    }

    private static string Code() => $"pl-ref-{Guid.NewGuid():N}"[..20];
}
