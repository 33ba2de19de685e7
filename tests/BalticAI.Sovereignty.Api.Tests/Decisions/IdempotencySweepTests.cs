using System.Net;
using BalticAI.Sovereignty.Api.Infrastructure.Idempotency;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;

namespace BalticAI.Sovereignty.Api.Tests.Decisions;

/// <summary>
/// Expired kept answers are deleted by <see cref="KeptAnswerSweeper"/>, off the request path, in batches
/// that concurrent sweeps never wait on; until then an expired answer is still never replayed.
/// </summary>
public sealed class IdempotencySweepTests(IdempotencySweepTests.UnsweptBroker broker) : IClassFixture<IdempotencySweepTests.UnsweptBroker>, IAsyncLifetime
{
    private const int BatchSize = 10;
    private Guid _job;
    private Guid _dataset;
    private HttpClient _client = null!;

    /// <summary>Its own sweeps wait a day, so only the tests sweep; small batches, so that a pass takes several.</summary>
    public sealed class UnsweptBroker : BrokerFactory
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
        {
            ["Idempotency:Sweep:Interval"] = "1.00:00:00",
            ["Idempotency:Sweep:BatchSize"] = BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    public async Task InitializeAsync()
    {
        await ActivateAsync(broker, Bundle("sweep-1"));
        var site = await RegisterSiteAsync(broker, $"pl-sweep-{Guid.NewGuid():N}"[..20], "PL", "secure-processing-environment");
        _job = await RegisterJobAsync(broker, site, commercial: false);
        _dataset = await RegisterDatasetAsync(broker, researchOnly: false);
        _client = broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem);
        await Sweeper.SweepAsync(CancellationToken.None);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private KeptAnswerSweeper Sweeper => broker.Services.GetRequiredService<KeptAnswerSweeper>();

    [Fact]
    public async Task An_expired_answer_not_yet_swept_is_not_replayed_and_the_key_decides_afresh()
    {
        var key = Guid.NewGuid().ToString();
        var first = await AskAsync(key);
        var firstDecision = await DecisionIdAsync(first);
        var kept = (await KeptAnswersAsync(broker, key)).Single().Record;
        kept.ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(-1);
        await StoreAsync(kept);

        var later = await AskAsync(key);

        later.StatusCode.ShouldBe(HttpStatusCode.OK, await later.Content.ReadAsStringAsync());
        later.Headers.Contains(IdempotencyFilter.ReplayedHeader).ShouldBeFalse();
        var laterDecision = await DecisionIdAsync(later);
        laterDecision.ShouldNotBe(firstDecision);
        var renewed = (await KeptAnswersAsync(broker, key)).Single(k => k.Body.Contains(laterDecision, StringComparison.Ordinal)).Record;
        renewed.Id.ShouldBe(kept.Id);
        renewed.ExpiresAt.ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddHours(23));
    }

    [Fact]
    public async Task A_keyed_decision_leaves_other_expired_answers_to_the_sweep()
    {
        var (expired, _) = await SeedAsync(expired: 3, live: 0);
        var key = Guid.NewGuid().ToString();

        var decided = await AskAsync(key);

        decided.StatusCode.ShouldBe(HttpStatusCode.OK, await decided.Content.ReadAsStringAsync());
        (await ExistingAsync(expired)).ShouldBe(expired, ignoreOrder: true);
        (await Sweeper.SweepAsync(CancellationToken.None)).ShouldBe(3);
        (await ExistingAsync(expired)).ShouldBeEmpty();
        (await KeptAnswersAsync(broker, key)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task One_sweep_deletes_every_expired_answer_batch_by_batch_and_keeps_the_live_ones()
    {
        var (expired, live) = await SeedAsync(expired: 3 * BatchSize + 5, live: 4);

        var deleted = await Sweeper.SweepAsync(CancellationToken.None);

        deleted.ShouldBe(expired.Count);
        (await ExistingAsync(expired)).ShouldBeEmpty();
        (await ExistingAsync(live)).ShouldBe(live, ignoreOrder: true);
    }

    [Fact]
    public async Task Two_concurrent_sweeps_both_complete_and_together_delete_every_expired_answer()
    {
        var (expired, live) = await SeedAsync(expired: 40 * BatchSize, live: 4);
        var otherNode = new KeptAnswerSweeper(broker.Services.GetRequiredService<IDocumentStore>(),
            Microsoft.Extensions.Options.Options.Create(new KeptAnswerSweepOptions { BatchSize = BatchSize }), TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<KeptAnswerSweeper>.Instance);

        var deleted = await Task.WhenAll(Sweeper.SweepAsync(CancellationToken.None), otherNode.SweepAsync(CancellationToken.None));

        deleted.Sum().ShouldBe(expired.Count);
        (await ExistingAsync(expired)).ShouldBeEmpty();
        (await ExistingAsync(live)).ShouldBe(live, ignoreOrder: true);
    }

    [Fact]
    public async Task A_sweep_skips_answers_another_transaction_holds_instead_of_waiting_for_them()
    {
        var (expired, _) = await SeedAsync(expired: 2 * BatchSize, live: 0);
        var held = expired.Take(3).ToArray();
        await using var connection = new NpgsqlConnection(TestServices.PostgresConnectionString);
        await connection.OpenAsync();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await using var hold = new NpgsqlCommand($"select id from {broker.Schema}.mt_doc_idempotencyrecord where id = any(@held) for update", connection, transaction);
            hold.Parameters.AddWithValue("held", held);
            await hold.ExecuteNonQueryAsync();

            (await Sweeper.SweepAsync(CancellationToken.None)).ShouldBe(expired.Count - held.Length);
            (await ExistingAsync(expired)).ShouldBe(held, ignoreOrder: true);
            await transaction.RollbackAsync();
        }

        (await Sweeper.SweepAsync(CancellationToken.None)).ShouldBe(held.Length);
        (await ExistingAsync(expired)).ShouldBeEmpty();
    }

    private Task<HttpResponseMessage> AskAsync(string key) =>
        _client.PostJsonAsync($"/training-jobs/{_job}/access-requests", Ask((_dataset, 1)), idempotencyKey: key);

    private static async Task<string> DecisionIdAsync(HttpResponseMessage response) =>
        (await DatasetApi.ReadJsonAsync(response))["decisions"]![0]!["decisionId"]!.GetValue<string>();

    /// <summary>Kept answers of other callers, expired an hour ago or expiring in an hour; returns their ids.</summary>
    private async Task<(List<string> Expired, List<string> Live)> SeedAsync(int expired, int live)
    {
        var now = DateTimeOffset.UtcNow;
        var records = Enumerable.Range(0, expired + live).Select(i => new IdempotencyRecord
        {
            Id = $"seeded-{Guid.NewGuid():N}",
            Fingerprint = "seeded",
            Completed = true,
            Status = 200,
            ExpiresAt = i < expired ? now.AddHours(-1) : now.AddHours(1),
        }).ToList();
        await using var session = broker.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        session.Insert(records.ToArray());
        await session.SaveChangesAsync();
        return (records.Take(expired).Select(r => r.Id).ToList(), records.Skip(expired).Select(r => r.Id).ToList());
    }

    private async Task<List<string>> ExistingAsync(IReadOnlyCollection<string> ids)
    {
        await using var session = broker.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.LoadManyAsync<IdempotencyRecord>(ids)).Select(r => r.Id).ToList();
    }

    private async Task StoreAsync(IdempotencyRecord record)
    {
        await using var session = broker.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        session.Store(record);
        await session.SaveChangesAsync();
    }
}
