using System.Net;
using System.Net.Http.Headers;
using BalticAI.Sovereignty.Api.Infrastructure.Idempotency;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Api.Tests.Platform;
using BalticAI.Sovereignty.Security;
using Marten;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;

namespace BalticAI.Sovereignty.Api.Tests.Decisions;

/// <summary>A keyed access request keeps its answer in the decision's own commit: exactly once, across retries, races and nodes.</summary>
public sealed class DecisionIdempotencyTests(BrokerFactory broker) : IClassFixture<BrokerFactory>, IAsyncLifetime
{
    private Guid _site;

    public async Task InitializeAsync()
    {
        await ActivateAsync(broker, Bundle("idempotency-1"));
        _site = await RegisterSiteAsync(broker, $"pl-idem-{Guid.NewGuid():N}"[..20], "PL", "secure-processing-environment");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_kept_answer_is_committed_in_the_same_transaction_as_the_decision()
    {
        var (job, dataset) = await JobAndDatasetAsync();
        var client = Client(Token());
        var key = Guid.NewGuid().ToString();

        var first = await client.PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)), idempotencyKey: key);
        var retry = await client.PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)), idempotencyKey: key);

        first.StatusCode.ShouldBe(HttpStatusCode.OK, await first.Content.ReadAsStringAsync());
        first.Headers.Contains(IdempotencyFilter.ReplayedHeader).ShouldBeFalse();
        first.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        retry.Headers.GetValues(IdempotencyFilter.ReplayedHeader).Single().ShouldBe("true");
        var body = await first.Content.ReadAsStringAsync();
        (await retry.Content.ReadAsStringAsync()).ShouldBe(body);
        var decisionId = (await DatasetApi.ReadJsonAsync(first))["decisions"]![0]!["decisionId"]!.GetValue<string>();
        var decisionTransaction = await ScalarAsync($"select xmin::text from {broker.Schema}.mt_events where stream_id = @id::uuid", decisionId);
        var kept = await KeptAnswerAsync(key, decisionId);
        var answerTransaction = await ScalarAsync($"select xmin::text from {broker.Schema}.mt_doc_idempotencyrecord where id = @id", kept.Id);
        answerTransaction.ShouldNotBeNull();
        answerTransaction.ShouldBe(decisionTransaction);
    }

    [Fact]
    public async Task Concurrent_retries_on_one_node_record_one_decision_and_agree_on_its_answer()
    {
        var (job, dataset) = await JobAndDatasetAsync();
        var token = Token();
        var key = Guid.NewGuid().ToString();
        var before = await CountEventsAsync(broker, "access_decided");

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Client(token).PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)), idempotencyKey: key)));

        (await CountEventsAsync(broker, "access_decided")).ShouldBe(before + 1);
        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK || r.StatusCode == HttpStatusCode.Conflict);
        var answered = responses.Where(r => r.StatusCode == HttpStatusCode.OK).ToList();
        answered.Count(r => !r.Headers.Contains(IdempotencyFilter.ReplayedHeader)).ShouldBe(1);
        var bodies = await Task.WhenAll(answered.Select(r => r.Content.ReadAsStringAsync()));
        bodies.Distinct().Count().ShouldBe(1);
    }

    [Fact]
    public async Task A_node_that_loses_the_race_for_a_key_records_nothing_and_answers_the_first_answer()
    {
        var (job, dataset) = await JobAndDatasetAsync();
        var token = Token();
        var key = Guid.NewGuid().ToString();
        var decisionsBefore = await CountEventsAsync(broker, "access_decided");
        var grantsBefore = await CountEventsAsync(broker, "grant_issued");
        await using var second = new SecondNodeBrokerFactory(broker);

        // The second node reads (no answer kept yet) and evaluates, then waits while the first node answers.
        var losing = Client(token, second).PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)), idempotencyKey: key);
        await second.Gate.Entered.WaitAsync(TimeSpan.FromSeconds(60));
        var winner = await Client(token).PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)), idempotencyKey: key);
        second.Gate.Open();
        var lost = await losing;

        winner.StatusCode.ShouldBe(HttpStatusCode.OK, await winner.Content.ReadAsStringAsync());
        lost.StatusCode.ShouldBe(HttpStatusCode.OK, await lost.Content.ReadAsStringAsync());
        lost.Headers.GetValues(IdempotencyFilter.ReplayedHeader).Single().ShouldBe("true");
        (await lost.Content.ReadAsStringAsync()).ShouldBe(await winner.Content.ReadAsStringAsync());
        (await CountEventsAsync(broker, "access_decided")).ShouldBe(decisionsBefore + 1);
        (await CountEventsAsync(broker, "grant_issued")).ShouldBe(grantsBefore + 1);
    }

    [Fact]
    public async Task An_expired_answer_is_purged_in_the_decisions_commit_and_the_key_decides_again()
    {
        var (job, dataset) = await JobAndDatasetAsync();
        var client = Client(Token());
        var key = Guid.NewGuid().ToString();
        var first = await client.PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)), idempotencyKey: key);
        var firstDecision = (await DatasetApi.ReadJsonAsync(first))["decisions"]![0]!["decisionId"]!.GetValue<string>();
        var kept = await KeptAnswerAsync(key, firstDecision);
        kept.ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(-1);
        await using (var session = broker.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            session.Store(kept);
            await session.SaveChangesAsync();
        }
        var before = await CountEventsAsync(broker, "access_decided");

        var later = await client.PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)), idempotencyKey: key);

        later.StatusCode.ShouldBe(HttpStatusCode.OK, await later.Content.ReadAsStringAsync());
        later.Headers.Contains(IdempotencyFilter.ReplayedHeader).ShouldBeFalse();
        var laterDecision = (await DatasetApi.ReadJsonAsync(later))["decisions"]![0]!["decisionId"]!.GetValue<string>();
        laterDecision.ShouldNotBe(firstDecision);
        (await CountEventsAsync(broker, "access_decided")).ShouldBe(before + 1);
        var renewed = await KeptAnswerAsync(key, laterDecision);
        renewed.Id.ShouldBe(kept.Id);
        renewed.ExpiresAt.ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddHours(23));
    }

    [Fact]
    public async Task A_keyed_refusal_is_kept_and_replayed_and_records_nothing()
    {
        var (job, _) = await JobAndDatasetAsync();
        var client = Client(Token());
        var key = Guid.NewGuid().ToString();
        var before = await CountEventsAsync(broker, "access_decided");

        var unknown = Guid.NewGuid();

        var first = await client.PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((unknown, 1)), idempotencyKey: key);
        var retry = await client.PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((unknown, 1)), idempotencyKey: key);
        var otherBody = await client.PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((Guid.NewGuid(), 1)), idempotencyKey: key);

        var refusal = await ProblemAndOpenApiTests.ShouldBeProblemAsync(first, HttpStatusCode.UnprocessableEntity);
        retry.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        retry.Headers.GetValues(IdempotencyFilter.ReplayedHeader).Single().ShouldBe("true");
        (await DatasetApi.ReadJsonAsync(retry)).ToJsonString().ShouldBe(refusal.ToJsonString());
        var reused = await ProblemAndOpenApiTests.ShouldBeProblemAsync(otherBody, HttpStatusCode.UnprocessableEntity);
        reused["title"]!.GetValue<string>().ShouldBe("Idempotency-Key reused");
        (await CountEventsAsync(broker, "access_decided")).ShouldBe(before);
    }

    [Fact]
    public async Task A_redemption_retried_with_its_key_records_one_release()
    {
        var (job, dataset) = await JobAndDatasetAsync();
        var decided = await Client(Token()).PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)));
        var grantId = GrantTokens.Remember((await DatasetApi.ReadJsonAsync(decided))["decisions"]![0]!["grant"]!);
        var dataPlane = Client(broker.Token(new TokenRequest(TestTenants.PlCyfronet, [Roles.DataPlane]) { ObjectId = "data-plane-1" }));
        var release = GrantTokens.Release(grantId, 4096, DatasetApi.Digest1);
        var key = Guid.NewGuid().ToString();

        var first = await dataPlane.PostJsonAsync($"/grants/{grantId}/redemptions", release, idempotencyKey: key);
        var retry = await dataPlane.PostJsonAsync($"/grants/{grantId}/redemptions", release, idempotencyKey: key);

        first.StatusCode.ShouldBe(HttpStatusCode.Created, await first.Content.ReadAsStringAsync());
        retry.StatusCode.ShouldBe(HttpStatusCode.Created);
        retry.Headers.GetValues(IdempotencyFilter.ReplayedHeader).Single().ShouldBe("true");
        retry.Headers.Location.ShouldBe(first.Headers.Location);
        (await retry.Content.ReadAsStringAsync()).ShouldBe(await first.Content.ReadAsStringAsync());
        await using var session = broker.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var events = await session.Events.FetchStreamAsync(Guid.Parse(grantId));
        events.Select(e => e.Data).OfType<Api.Decisions.GrantRedeemed>().Sum(r => r.Bytes).ShouldBe(4096);
    }

    [Fact]
    public async Task A_job_or_site_registration_retried_with_its_key_registers_once()
    {
        var token = Token();
        var key = Guid.NewGuid().ToString();
        var job = Job(_site, commercial: false);
        var jobsBefore = await CountEventsAsync(broker, "training_job_registered");

        var firstJob = await Client(token).PostJsonAsync("/training-jobs", job, idempotencyKey: key);
        var retriedJob = await Client(token).PostJsonAsync("/training-jobs", job, idempotencyKey: key);

        firstJob.StatusCode.ShouldBe(HttpStatusCode.Created, await firstJob.Content.ReadAsStringAsync());
        retriedJob.Headers.GetValues(IdempotencyFilter.ReplayedHeader).Single().ShouldBe("true");
        retriedJob.Headers.Location.ShouldBe(firstJob.Headers.Location);
        (await CountEventsAsync(broker, "training_job_registered")).ShouldBe(jobsBefore + 1);

        var admin = Client(broker.Token(new TokenRequest(TestTenants.EuAiOffice, [Roles.PolicyAdmin]) { ObjectId = "admin-1" }));
        var code = $"pl-keyed-{Guid.NewGuid():N}"[..20];
        var site = Site(code, "PL");
        var firstSite = await admin.PostJsonAsync("/sites", site, idempotencyKey: key);
        var retriedSite = await admin.PostJsonAsync("/sites", site, idempotencyKey: key);

        firstSite.StatusCode.ShouldBe(HttpStatusCode.Created, await firstSite.Content.ReadAsStringAsync());
        retriedSite.StatusCode.ShouldBe(HttpStatusCode.Created, "without the key the retry would be refused: the code is taken");
        retriedSite.Headers.Location.ShouldBe(firstSite.Headers.Location);
    }

    private async Task<(Guid Job, Guid Dataset)> JobAndDatasetAsync() =>
        (await RegisterJobAsync(broker, _site, commercial: false), await RegisterDatasetAsync(broker, researchOnly: false));

    /// <summary>One user's token: keys belong to a caller, so every request of a test must be the same caller.</summary>
    private string Token() => broker.Token(new TokenRequest(TestTenants.PlCyfronet, [Roles.TrainingSystem]) { ObjectId = $"user-{Guid.NewGuid():N}" });

    private HttpClient Client(string token, WebApplicationFactory<Program>? node = null)
    {
        var client = (node ?? broker).CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>The record whose sealed answer opens with <paramref name="key"/> and names the decision.</summary>
    private async Task<IdempotencyRecord> KeptAnswerAsync(string key, string decisionId) =>
        (await KeptAnswersAsync(broker, key)).Single(kept => kept.Body.Contains(decisionId, StringComparison.Ordinal)).Record;

    private static async Task<string?> ScalarAsync(string sql, string id)
    {
        await using var connection = new NpgsqlConnection(TestServices.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("id", id);
        return (string?)await command.ExecuteScalarAsync();
    }
}
