using System.Net;
using BalticAI.Sovereignty.Api.Infrastructure.Idempotency;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Api.Tests.Platform;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;

namespace BalticAI.Sovereignty.Api.Tests.Decisions;

/// <summary>A kept answer may hold a grant token: the database holds it only sealed under the caller's Idempotency-Key.</summary>
public sealed class KeptAnswerSealingTests(BrokerFactory broker) : IClassFixture<BrokerFactory>, IAsyncLifetime
{
    private Guid _job;
    private Guid _dataset;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        await ActivateAsync(broker, Bundle("sealing-1"));
        var site = await RegisterSiteAsync(broker, $"pl-seal-{Guid.NewGuid():N}"[..20], "PL", "secure-processing-environment");
        _job = await RegisterJobAsync(broker, site, commercial: false);
        _dataset = await RegisterDatasetAsync(broker, researchOnly: false);
        _client = broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_grant_token_is_not_stored_in_the_clear_and_a_retry_still_gets_it()
    {
        var key = Guid.NewGuid().ToString();

        var first = await AskAsync(key);
        var retry = await AskAsync(key);

        first.StatusCode.ShouldBe(HttpStatusCode.OK, await first.Content.ReadAsStringAsync());
        var decision = (await DatasetApi.ReadJsonAsync(first))["decisions"]![0]!;
        var token = decision["grant"]!["token"]!.GetValue<string>();
        var decisionId = decision["decisionId"]!.GetValue<string>();
        retry.Headers.GetValues(IdempotencyFilter.ReplayedHeader).Single().ShouldBe("true");
        (await retry.Content.ReadAsStringAsync()).ShouldBe(await first.Content.ReadAsStringAsync());
        var stored = await StoredTextAsync();
        stored.ShouldNotBeEmpty();
        stored.ShouldAllBe(text => !text.Contains(token.Split('.')[2], StringComparison.Ordinal) && !text.Contains(decisionId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_sealed_answer_copied_onto_another_keys_record_is_refused_and_nothing_is_recorded()
    {
        var (keyA, keyB) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        (await AskAsync(keyA)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await AskAsync(keyB)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var a = await RecordAsync(keyA);
        var b = await RecordAsync(keyB);
        b.Sealed = a.Sealed;
        await StoreAsync(b);
        var before = await CountEventsAsync(broker, "access_decided");

        var retry = await AskAsync(keyB);

        var problem = await ProblemAndOpenApiTests.ShouldBeProblemAsync(retry, HttpStatusCode.Conflict);
        problem["title"]!.GetValue<string>().ShouldBe("Kept answer unreadable");
        (await retry.Content.ReadAsStringAsync()).ShouldNotContain("token");
        (await CountEventsAsync(broker, "access_decided")).ShouldBe(before);
    }

    [Fact]
    public async Task An_answer_kept_in_the_clear_by_an_earlier_broker_is_still_replayed()
    {
        var key = Guid.NewGuid().ToString();
        var first = await AskAsync(key);
        var record = await RecordAsync(key);
        record.TryReadBody(AnswerSeal.Key(key, record.Id), out var body).ShouldBeTrue();
        record.Body = body;
        record.Sealed = "";
        await StoreAsync(record);
        var before = await CountEventsAsync(broker, "access_decided");

        var retry = await AskAsync(key);

        retry.StatusCode.ShouldBe(HttpStatusCode.OK);
        retry.Headers.GetValues(IdempotencyFilter.ReplayedHeader).Single().ShouldBe("true");
        (await retry.Content.ReadAsStringAsync()).ShouldBe(await first.Content.ReadAsStringAsync());
        (await CountEventsAsync(broker, "access_decided")).ShouldBe(before);
    }

    private Task<HttpResponseMessage> AskAsync(string key) =>
        _client.PostJsonAsync($"/training-jobs/{_job}/access-requests", Ask((_dataset, 1)), idempotencyKey: key);

    /// <summary>The one record this key's answer opens.</summary>
    private async Task<IdempotencyRecord> RecordAsync(string key) => (await KeptAnswersAsync(broker, key)).Single().Record;

    private async Task StoreAsync(IdempotencyRecord record)
    {
        await using var session = broker.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        session.Store(record);
        await session.SaveChangesAsync();
    }

    /// <summary>Every kept record as PostgreSQL holds it, as a reader of the database or of a backup sees it.</summary>
    private async Task<List<string>> StoredTextAsync()
    {
        await using var connection = new NpgsqlConnection(TestServices.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select data::text from {broker.Schema}.mt_doc_idempotencyrecord", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var texts = new List<string>();
        while (await reader.ReadAsync())
        {
            texts.Add(reader.GetString(0));
        }
        return texts;
    }
}
