using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Decisions;
using BalticAI.Sovereignty.Api.Decisions.Grants;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Ledger;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Feeds;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Contracts.Grants;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;

namespace BalticAI.Sovereignty.Api.Tests.Decisions;

public sealed class GrantRevocationTests(BrokerFactory broker) : IClassFixture<BrokerFactory>, IAsyncLifetime
{
    private readonly ConnectionFactory _rabbit = new() { HostName = TestServices.RabbitMqHost, Port = int.Parse(TestServices.RabbitMqPort) };
    private readonly string _queue = "test.grant-revocations." + Guid.NewGuid().ToString("N");
    private Guid _site;

    public async Task InitializeAsync()
    {
        await ActivateAsync(broker, Bundle("revocation-1"));
        _site = await RegisterSiteAsync(broker, $"pl-rev-{Guid.NewGuid():N}"[..20], "PL");
        // A training system's own queue, bound to its organisation id on the revocation exchange.
        await using var connection = await _rabbit.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync(GrantRevocationNotice.Exchange, ExchangeType.Topic, durable: true);
        await channel.QueueDeclareAsync(_queue, durable: false, exclusive: false, autoDelete: false);
        await channel.QueueBindAsync(_queue, GrantRevocationNotice.Exchange, "pl-cyfronet");
    }

    public async Task DisposeAsync()
    {
        await using var connection = await _rabbit.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeleteAsync(_queue);
    }

    [Theory]
    [InlineData("withdrawal", """{"reason": "erasure-request"}""", "dataset-withdrawn:erasure-request")]
    [InlineData("restriction", """{"reason": "objection-pending"}""", "dataset-restricted:objection-pending")]
    public async Task Withdrawal_or_restriction_revokes_active_grants_and_tells_the_training_system(string route, string body, string reason)
    {
        var job = await RegisterJobAsync(broker, _site, commercial: false);
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);
        var asked = await broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem).PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)));
        var grantId = GrantTokens.Remember((await DatasetApi.ReadJsonAsync(asked))["decisions"]![0]!["grant"]!);
        // A redemption first: the grant stream is then at version 2, which must not leak into the notice.
        var redeemed = await broker.ClientFor(TestTenants.PlCyfronet, Roles.DataPlane)
            .PostJsonAsync($"/grants/{grantId}/redemptions", GrantTokens.Release(grantId, 1, DatasetApi.Digest1));
        redeemed.IsSuccessStatusCode.ShouldBeTrue(await redeemed.Content.ReadAsStringAsync());
        var owner = broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner);
        var etag = (await owner.GetAsync($"/datasets/{dataset}")).Headers.ETag!.ToString();

        var changed = await owner.SendAsync(HttpMethod.Post, $"/datasets/{dataset}/{route}", body, etag);
        changed.IsSuccessStatusCode.ShouldBeTrue(await changed.Content.ReadAsStringAsync());

        var notice = await NextNoticeForAsync(grantId);
        notice["reason"]!.GetValue<string>().ShouldBe(reason);
        notice["jobId"]!.GetValue<string>().ShouldBe(job.ToString());
        notice["trainingSystem"]!.GetValue<string>().ShouldBe("pl-cyfronet");
        notice["version"]!.GetValue<int>().ShouldBe(1);
        var jobView = await WaitForAsync(async () =>
        {
            var body = await DatasetApi.ReadJsonAsync(await broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem).GetAsync($"/training-jobs/{job}"));
            return body["revokedGrants"]!.AsArray().Any(g => g!.GetValue<string>() == grantId) ? body : null;
        });
        jobView.ShouldNotBeNull();
        (await CountEventsAsync(broker, "grant_revoked")).ShouldBeGreaterThan(0);
        var refused = await broker.ClientFor(TestTenants.PlCyfronet, Roles.DataPlane)
            .PostJsonAsync($"/grants/{grantId}/redemptions", GrantTokens.Release(grantId, 1, DatasetApi.Digest1));
        refused.StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData(TestTenants.PlCyfronet, Roles.TrainingSystem, "revoked-by-training-system:compromised")]
    [InlineData(TestTenants.PlMinistry, Roles.DataOwner, "revoked-by-data-owner:compromised")]
    [InlineData(TestTenants.EuAiOffice, Roles.PolicyAdmin, "revoked-by-policy-admin:compromised")]
    public async Task A_grant_revoked_by_hand_refuses_releases_tells_the_training_system_and_names_who(string tenant, string role, string reason)
    {
        var grantId = await GrantAsync();

        var revoked = await broker.ClientFor(tenant, role).PostJsonAsync($"/grants/{grantId}/revocation", new JsonObject { ["reason"] = "compromised" });

        var grant = await DatasetApi.ReadJsonAsync(revoked);
        revoked.StatusCode.ShouldBe(HttpStatusCode.OK, grant.ToJsonString());
        grant["status"]!.GetValue<string>().ShouldBe("revoked");
        grant["revocationReason"]!.GetValue<string>().ShouldBe(reason);
        (await NextNoticeForAsync(grantId))["reason"]!.GetValue<string>().ShouldBe(reason);
        var refused = await broker.ClientFor(TestTenants.PlCyfronet, Roles.DataPlane)
            .PostJsonAsync($"/grants/{grantId}/redemptions", GrantTokens.Release(grantId, 1, DatasetApi.Digest1));
        refused.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await DatasetApi.ReadJsonAsync(refused))["detail"]!.GetValue<string>().ShouldContain(reason);
        await using var session = broker.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var recorded = (await session.Events.FetchStreamAsync(Guid.Parse(grantId))).Last();
        recorded.Data.ShouldBeOfType<GrantRevoked>().Reason.ShouldBe(reason);
        recorded.ReadActor()!.Organisation.ShouldBe(role == Roles.PolicyAdmin ? "eu-ai-office" : role == Roles.DataOwner ? "pl-mc" : "pl-cyfronet");
    }

    [Theory]
    [InlineData(TestTenants.PlSpeakLeash, Roles.TrainingSystem, """{"reason": "job-ended"}""", HttpStatusCode.Forbidden)]
    [InlineData(TestTenants.PlPublisher, Roles.DataOwner, """{"reason": "owner-decision"}""", HttpStatusCode.Forbidden)]
    [InlineData(TestTenants.PlCyfronet, Roles.TrainingSystem, """{"reason": "because"}""", HttpStatusCode.BadRequest)]
    [InlineData(TestTenants.PlCyfronet, Roles.TrainingSystem, """{"reason": "job-ended", "note": "free text"}""", HttpStatusCode.BadRequest)]
    public async Task A_revocation_by_another_organisation_or_without_a_listed_reason_records_nothing(string tenant, string role, string body, HttpStatusCode status)
    {
        var grantId = await GrantAsync();
        var revocations = await CountEventsAsync(broker, "grant_revoked");

        var refused = await broker.ClientFor(tenant, role).PostJsonAsync($"/grants/{grantId}/revocation", JsonNode.Parse(body)!);

        refused.StatusCode.ShouldBe(status, await refused.Content.ReadAsStringAsync());
        (await CountEventsAsync(broker, "grant_revoked")).ShouldBe(revocations);
        (await DatasetApi.ReadJsonAsync(await broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor).GetAsync($"/grants/{grantId}")))["status"]!.GetValue<string>().ShouldBe("active");
    }

    [Fact]
    public async Task A_grant_revoked_twice_is_409_naming_the_first_revocation_and_an_unknown_grant_404()
    {
        var grantId = await GrantAsync();
        var admin = broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin);
        (await admin.PostJsonAsync($"/grants/{grantId}/revocation", new JsonObject { ["reason"] = "policy-changed" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var again = await broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem).PostJsonAsync($"/grants/{grantId}/revocation", new JsonObject { ["reason"] = "job-ended" });
        var unknown = await admin.PostJsonAsync($"/grants/{Guid.NewGuid()}/revocation", new JsonObject { ["reason"] = "job-ended" });

        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await DatasetApi.ReadJsonAsync(again))["detail"]!.GetValue<string>().ShouldContain("revoked-by-policy-admin:policy-changed");
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_revocation_retried_with_its_Idempotency_Key_gets_the_first_answer_and_records_one()
    {
        var grantId = await GrantAsync();
        var key = Guid.NewGuid().ToString();
        var training = broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem);

        var first = await training.PostJsonAsync($"/grants/{grantId}/revocation", new JsonObject { ["reason"] = "job-ended" }, idempotencyKey: key);
        var retried = await training.PostJsonAsync($"/grants/{grantId}/revocation", new JsonObject { ["reason"] = "job-ended" }, idempotencyKey: key);

        first.StatusCode.ShouldBe(HttpStatusCode.OK, await first.Content.ReadAsStringAsync());
        retried.StatusCode.ShouldBe(HttpStatusCode.OK, await retried.Content.ReadAsStringAsync());
        retried.Headers.Contains("Idempotent-Replayed").ShouldBeTrue();
        (await retried.Content.ReadAsStringAsync()).ShouldBe(await first.Content.ReadAsStringAsync());
        await using var session = broker.Services.GetRequiredService<IDocumentStore>().QuerySession();
        (await session.Events.FetchStreamAsync(Guid.Parse(grantId))).Count(e => e.Data is GrantRevoked).ShouldBe(1);
    }

    /// <summary>An active grant of pl-cyfronet's on a fresh dataset of pl-mc; its id, with its token remembered for releases.</summary>
    private async Task<string> GrantAsync()
    {
        var job = await RegisterJobAsync(broker, _site, commercial: false);
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);
        var asked = await broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem).PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)));
        return GrantTokens.Remember((await DatasetApi.ReadJsonAsync(asked))["decisions"]![0]!["grant"]!);
    }

    [Fact]
    public async Task Terms_amended_to_end_sooner_revoke_grants_that_outlive_them()
    {
        var job = await RegisterJobAsync(broker, _site, commercial: false);
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);
        var asked = await broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem).PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)));
        var grantId = GrantTokens.Remember((await DatasetApi.ReadJsonAsync(asked))["decisions"]![0]!["grant"]!);
        var owner = broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner);
        var etag = (await owner.GetAsync($"/datasets/{dataset}")).Headers.ETag!.ToString();
        var today = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd");

        var amended = await owner.PatchTermsAsync(dataset, new JsonObject { ["use"] = new JsonObject { ["expires"] = today } }, etag);

        amended.IsSuccessStatusCode.ShouldBeTrue(await amended.Content.ReadAsStringAsync());
        (await NextNoticeForAsync(grantId))["reason"]!.GetValue<string>().ShouldBe("terms-expire-sooner");
    }

    [Fact]
    public async Task A_release_presenting_another_grants_token_is_403_and_not_recorded()
    {
        var job = await RegisterJobAsync(broker, _site, commercial: false);
        var asked = await broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem).PostJsonAsync($"/training-jobs/{job}/access-requests",
            Ask((await RegisterDatasetAsync(broker, researchOnly: false), 1), (await RegisterDatasetAsync(broker, researchOnly: false), 1)));
        var decisions = (await DatasetApi.ReadJsonAsync(asked))["decisions"]!.AsArray();
        var first = GrantTokens.Remember(decisions[0]!["grant"]!);
        var second = GrantTokens.Remember(decisions[1]!["grant"]!);
        var dataPlane = broker.ClientFor(TestTenants.PlCyfronet, Roles.DataPlane);

        var swapped = await dataPlane.PostJsonAsync($"/grants/{first}/redemptions", GrantTokens.Release(second, 1));
        var own = await dataPlane.PostJsonAsync($"/grants/{first}/redemptions", GrantTokens.Release(first, 1));

        await Platform.ProblemAndOpenApiTests.ShouldBeProblemAsync(swapped, HttpStatusCode.Forbidden);
        (await DatasetApi.ReadJsonAsync(own))["redemptions"]!.GetValue<int>().ShouldBe(1);
    }

    [Fact]
    public async Task A_grant_recorded_after_its_dataset_was_withdrawn_is_revoked_and_the_training_system_told()
    {
        var job = await RegisterJobAsync(broker, _site, commercial: false);
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);
        var earlier = (await AskForOneAsync(broker, job, dataset))["grant"]!["id"]!.GetValue<string>();
        var owner = broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner);
        var etag = (await owner.GetAsync($"/datasets/{dataset}")).Headers.ETag!.ToString();
        (await owner.SendAsync(HttpMethod.Post, $"/datasets/{dataset}/withdrawal", """{"reason": "erasure-request"}""", etag)).IsSuccessStatusCode.ShouldBeTrue();
        // Past the withdrawal, so that only the check of grants issued late can revoke the next one.
        await UntilRevokedAsync(broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor), earlier);
        var grantId = Guid.NewGuid();

        // What a decision that read the dataset before the withdrawal, and committed after it, leaves behind.
        await using (var session = broker.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            session.RecordActor(new Actor("pl-cyfronet", "PL", "test-scheduler", "ps:late-grant"));
            session.Events.StartStream<Grant>(grantId, new GrantIssued(grantId, Guid.NewGuid(), job, dataset, 1, _site, "pl-cyfronet",
                DateTimeOffset.UtcNow.AddHours(1), [], "", ["PL"]));
            await session.SaveChangesAsync();
        }

        (await NextNoticeForAsync(grantId.ToString()))["reason"]!.GetValue<string>().ShouldBe("dataset-withdrawn:erasure-request");
        var grant = await WaitForAsync(async () =>
        {
            await using var query = broker.Services.GetRequiredService<IDocumentStore>().QuerySession();
            return await query.LoadAsync<Grant>(grantId) is { Status: GrantStatus.Revoked } revoked ? revoked : null;
        });
        grant.ShouldNotBeNull();
        await using var read = broker.Services.GetRequiredService<IDocumentStore>().QuerySession();
        // Stamped with the owner who withdrew, as the withdrawal's own revocations are, not with the broker.
        (await read.Events.FetchStreamAsync(grantId)).Last().ReadActor()!.Organisation.ShouldBe("pl-mc");
    }

    private async Task<JsonNode> NextNoticeForAsync(string grantId)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            foreach (var raw in await FeedQueueReader.ReadAsync(_rabbit, _queue, 1, TimeSpan.FromSeconds(1)))
            {
                // MassTransit's envelope: the notice is its `message`.
                var message = JsonNode.Parse(raw)!["message"]!;
                if (message["grantId"]!.GetValue<string>() == grantId)
                {
                    return message;
                }
            }
        }
        throw new ShouldAssertException($"no revocation notice for grant {grantId} within 20 s");
    }

    private static async Task<T?> WaitForAsync<T>(Func<Task<T?>> probe) where T : class
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (await probe() is { } found)
            {
                return found;
            }
            await Task.Delay(100);
        }
        return null;
    }
}
