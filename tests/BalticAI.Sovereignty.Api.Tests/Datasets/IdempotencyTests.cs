using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Idempotency;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Api.Tests.Platform;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace BalticAI.Sovereignty.Api.Tests.Datasets;

public sealed class IdempotencyTests(BrokerFactory broker) : IClassFixture<BrokerFactory>
{
    /// <summary>One user of one organisation: idempotency keys are per caller.</summary>
    private HttpClient Owner => Client(TestTenants.EeRia, "ria-user-1");

    private HttpClient Client(string tenant, string user)
    {
        var client = broker.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", broker.Token(new BalticAI.Sovereignty.Security.TokenRequest(tenant, [Roles.DataOwner]) { ObjectId = user }));
        return client;
    }

    [Fact]
    public async Task The_same_key_and_body_returns_the_first_answer_and_registers_once()
    {
        var key = Guid.NewGuid().ToString();
        var terms = DatasetApi.Terms("Idempotent registration", "EE");

        var first = await Owner.PostJsonAsync("/datasets", terms, idempotencyKey: key);
        var before = await broker.CountWritesAsync();
        var second = await Owner.PostJsonAsync("/datasets", terms, idempotencyKey: key);

        first.StatusCode.ShouldBe(HttpStatusCode.Created);
        second.StatusCode.ShouldBe(HttpStatusCode.Created);
        second.Headers.Location.ShouldBe(first.Headers.Location);
        second.Headers.ETag.ShouldBe(first.Headers.ETag);
        second.Headers.GetValues("Idempotent-Replayed").Single().ShouldBe("true");
        (await second.Content.ReadAsStringAsync()).ShouldBe(await first.Content.ReadAsStringAsync());
        (await broker.CountWritesAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_422()
    {
        var key = Guid.NewGuid().ToString();
        await Owner.PostJsonAsync("/datasets", DatasetApi.Terms("First body", "EE"), idempotencyKey: key);
        var before = await broker.CountWritesAsync();

        var response = await Owner.PostJsonAsync("/datasets", DatasetApi.Terms("Second body", "EE"), idempotencyKey: key);

        await ProblemAndOpenApiTests.ShouldBeProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        (await broker.CountWritesAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task Keys_belong_to_one_caller()
    {
        var key = Guid.NewGuid().ToString();
        var terms = DatasetApi.Terms("Same key, two callers", "EE");

        var mine = await Owner.PostJsonAsync("/datasets", terms, idempotencyKey: key);
        var theirs = await Client(TestTenants.EeRia, "ria-user-2").PostJsonAsync("/datasets", terms, idempotencyKey: key);

        mine.StatusCode.ShouldBe(HttpStatusCode.Created);
        theirs.StatusCode.ShouldBe(HttpStatusCode.Created);
        theirs.Headers.Location.ShouldNotBe(mine.Headers.Location);
    }

    [Fact]
    public async Task A_version_post_retried_with_its_key_publishes_once_and_a_stale_refusal_is_not_kept()
    {
        var (id, etag) = await Owner.RegisterAsync(DatasetApi.Terms("Versions retried", "EE"));
        var key = Guid.NewGuid().ToString();

        var first = await Owner.PostJsonAsync($"/datasets/{id}/versions", DatasetApi.Version(), etag, key);
        var retry = await Owner.PostJsonAsync($"/datasets/{id}/versions", DatasetApi.Version(), etag, key);

        first.StatusCode.ShouldBe(HttpStatusCode.Created);
        retry.StatusCode.ShouldBe(HttpStatusCode.Created);
        retry.Headers.ETag!.ToString().ShouldBe("\"2\"");
        var versions = await DatasetApi.ReadJsonAsync(await Owner.GetAsync($"/datasets/{id}/versions"));
        versions.AsArray().Count.ShouldBe(1);

        var withdrawalKey = Guid.NewGuid().ToString();
        var stale = await Owner.PostJsonAsync($"/datasets/{id}/withdrawal", new JsonObject { ["reason"] = "licence-ended" }, "\"1\"", withdrawalKey);
        var fresh = await Owner.PostJsonAsync($"/datasets/{id}/withdrawal", new JsonObject { ["reason"] = "licence-ended" }, "\"2\"", withdrawalKey);
        stale.StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);
        fresh.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_unusable_key_is_400()
    {
        var response = await Owner.PostJsonAsync("/datasets", DatasetApi.Terms("Bad key", "EE"), idempotencyKey: new string('k', 300));

        await ProblemAndOpenApiTests.ShouldBeProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task After_24_hours_a_key_is_forgotten_and_the_request_runs_again()
    {
        var key = Guid.NewGuid().ToString();
        var terms = DatasetApi.Terms("Expiring key", "EE");
        var first = await Owner.PostJsonAsync("/datasets", terms, idempotencyKey: key);
        var store = broker.Services.GetRequiredService<IDocumentStore>();
        await using (var session = store.LightweightSession())
        {
            var records = await session.Query<IdempotencyRecord>().ToListAsync();
            var record = records.Single(r => r.Headers.GetValueOrDefault("Location") == first.Headers.Location!.ToString());
            record.ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(-1);
            session.Store(record);
            await session.SaveChangesAsync();
        }

        var later = await Owner.PostJsonAsync("/datasets", terms, idempotencyKey: key);

        later.StatusCode.ShouldBe(HttpStatusCode.Created);
        later.Headers.Contains("Idempotent-Replayed").ShouldBeFalse();
        later.Headers.Location.ShouldNotBe(first.Headers.Location);
    }

    [Fact]
    public async Task A_write_and_its_kept_answer_commit_in_one_transaction()
    {
        var (id, etag) = await Owner.RegisterAsync(DatasetApi.Terms("One transaction", "EE"));
        var key = Guid.NewGuid().ToString();

        var published = await Owner.PostJsonAsync($"/datasets/{id}/versions", DatasetApi.Version(), etag, key);

        published.StatusCode.ShouldBe(HttpStatusCode.Created);
        var record = await RecordAsync(r => r.Headers.GetValueOrDefault("Location") == published.Headers.Location!.ToString());
        record.Status.ShouldBe(201);
        record.Headers["ETag"].ShouldBe("\"2\"");
        await using var connection = new Npgsql.NpgsqlConnection(TestServices.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            $"select (select xmin::text from {broker.Schema}.mt_events where stream_id = @stream and version = 2), (select xmin::text from {broker.Schema}.mt_doc_idempotencyrecord where id = @record)", connection);
        command.Parameters.AddWithValue("stream", id);
        command.Parameters.AddWithValue("record", record.Id);
        await using var reader = await command.ExecuteReaderAsync();
        (await reader.ReadAsync()).ShouldBeTrue();
        reader.IsDBNull(0).ShouldBeFalse();
        reader.GetString(1).ShouldBe(reader.GetString(0));
    }

    [Fact]
    public async Task A_reservation_left_by_an_earlier_broker_version_answers_409_and_records_nothing()
    {
        var key = Guid.NewGuid().ToString();
        var terms = DatasetApi.Terms("Left reserved", "EE");
        var first = await Owner.PostJsonAsync("/datasets", terms, idempotencyKey: key);
        var record = await RecordAsync(r => r.Headers.GetValueOrDefault("Location") == first.Headers.Location!.ToString());
        await using (var session = broker.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            session.Store(new IdempotencyRecord { Id = record.Id, Fingerprint = record.Fingerprint, ExpiresAt = record.ExpiresAt });
            await session.SaveChangesAsync();
        }
        var before = await broker.CountWritesAsync();

        var retry = await Owner.PostJsonAsync("/datasets", terms, idempotencyKey: key);

        await ProblemAndOpenApiTests.ShouldBeProblemAsync(retry, HttpStatusCode.Conflict);
        (await broker.CountWritesAsync()).ShouldBe(before);
    }

    [Fact]
    public void A_key_taken_by_another_node_is_not_mistaken_for_a_concurrent_write_to_the_stream()
    {
        var taken = new JasperFx.DocumentAlreadyExistsException(new InvalidOperationException("duplicate key"), typeof(IdempotencyRecord), "k");

        BalticAI.Sovereignty.Api.Infrastructure.Concurrency.ConcurrentWrites.Are(taken).ShouldBeFalse();
        taken.Id.ShouldBe("k");
    }

    private async Task<IdempotencyRecord> RecordAsync(Func<IdempotencyRecord, bool> match)
    {
        await using var session = broker.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.Query<IdempotencyRecord>().ToListAsync()).Single(match);
    }
}
