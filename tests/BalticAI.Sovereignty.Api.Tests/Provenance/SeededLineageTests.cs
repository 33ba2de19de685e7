extern alias cli;

using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Decisions;
using BalticAI.Sovereignty.Api.Decisions.Grants;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Provenance.ModelVersions;
using BalticAI.Sovereignty.Api.Provenance.Runs;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using cli::BalticAI.Sovereignty.Cli.Seeding;
using Marten;
using Npgsql;

namespace BalticAI.Sovereignty.Api.Tests.Provenance;

/// <summary>
/// `balticai seed` writes lineage the broker answers from: a small ledger (5,000 events, a dozen datasets
/// so concurrent chunks keep appending to the same dataset streams) seeded with four writers, then read
/// through the broker's own routes.
/// </summary>
public sealed class SeededLineageTests(SeededLineageTests.SeededBroker broker) : IClassFixture<SeededLineageTests.SeededBroker>, IAsyncLifetime
{
    public const long Events = 5_000;

    /// <summary>A broker started on a schema the seeder wrote first.</summary>
    public sealed class SeededBroker : BrokerFactory
    {
        public List<ModelVersionView> Models { get; } = [];
        public Dictionary<Guid, TrainingRun> Runs { get; } = [];
    }

    public async Task InitializeAsync()
    {
        if (broker.Models.Count > 0)
        {
            return;
        }
        using var store = SeedCommand.CreateStore(TestServices.PostgresConnectionString, broker.Schema);
        await SeedCommand.SeedAsync(store, new SeedPlan(datasets: 12, jobs: 6, seed: 7), Events, batch: 200, writers: 4, feeds: false, _ => { }, CancellationToken.None);
        await using var session = store.QuerySession();
        broker.Models.AddRange((await session.Query<ModelVersionView>().ToListAsync()).OrderBy(m => m.Id));
        foreach (var run in await session.Query<TrainingRun>().ToListAsync())
        {
            broker.Runs[run.Id] = run;
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private HttpClient Auditor => broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor);

    private ModelVersionView Model(Guid id) => broker.Models.Single(m => m.Id == id);

    private IReadOnlySet<(Guid, int)> ReadBy(ModelVersionView model) =>
        broker.Runs[model.RunId!.Value].Inputs.Select(i => (i.DatasetId, i.Version)).ToHashSet();

    [Fact]
    public async Task Four_writers_write_exactly_the_events_asked_for_and_every_dataset_document_has_all_its_versions()
    {
        await using var connection = new NpgsqlConnection(TestServices.PostgresConnectionString);
        await connection.OpenAsync();
        async Task<long> CountAsync(string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            return (long)(await command.ExecuteScalarAsync())!;
        }

        (await CountAsync($"select count(*) from {broker.Schema}.mt_events where headers ->> 'actor_app' = '{SeedPlan.Application}'")).ShouldBe(Events);
        (await CountAsync($"select count(*) from {broker.Schema}.mt_events e where e.type = 'dataset_version_published' and e.version > 2")).ShouldBeGreaterThan(0);
        // A lost update (two transactions each storing the dataset's document) would leave a version out.
        (await CountAsync($"""
            select count(*) from {broker.Schema}.mt_doc_datasetview d
            where jsonb_array_length(d.data -> 'State' -> 'Versions')
               <> (select count(*) from {broker.Schema}.mt_events e where e.stream_id = d.id and e.type = 'dataset_version_published')
            """)).ShouldBe(0);
    }

    [Fact]
    public async Task A_seeded_fine_tune_has_its_own_and_its_bases_dataset_versions_grants_and_decisions_upstream()
    {
        // A fine-tune of a model trained from scratch: its upstream is exactly the two runs' inputs.
        var model = broker.Models.First(m => m.BaseModel?.ModelVersionId is { } b && Model(b).BaseModel?.ModelVersionId is null);
        var baseModel = Model(model.BaseModel!.ModelVersionId!.Value);

        var response = await Auditor.GetAsync($"/models/{model.ModelId}/versions/{model.Version}/provenance");

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var provenance = await DatasetApi.ReadJsonAsync(response);
        var upstream = provenance["datasetVersions"]!.AsArray();
        ToSet(upstream.Where(u => u!["depth"]!.GetValue<int>() == 0)).ShouldBe(ReadBy(model), ignoreOrder: true);
        ToSet(upstream.Where(u => u!["depth"]!.GetValue<int>() == 1)).ShouldBe(ReadBy(baseModel), ignoreOrder: true);
        provenance["baseModels"]!.AsArray().Select(b => b!["version"]!.GetValue<string>()).ShouldContain(baseModel.Version);

        var grantIds = provenance["grants"]!.AsArray().Select(g => Guid.Parse(g!["grantId"]!.GetValue<string>())).ToList();
        var decisionIds = provenance["decisions"]!.AsArray().Select(d => Guid.Parse(d!.GetValue<string>())).ToList();
        grantIds.ShouldNotBeEmpty();
        using var store = SeedCommand.CreateStore(TestServices.PostgresConnectionString, broker.Schema);
        await using var session = store.QuerySession();
        var grants = await session.LoadManyAsync<Grant>(grantIds.ToArray());
        grants.Count.ShouldBe(grantIds.Count);
        var upstreamVersions = ReadBy(model).Union(ReadBy(baseModel)).ToHashSet();
        grants.ShouldAllBe(g => g.Redemptions > 0 && upstreamVersions.Contains(new ValueTuple<Guid, int>(g.DatasetId, g.DatasetVersion)));
        decisionIds.ShouldBe(grants.Select(g => g.DecisionId).Distinct(), ignoreOrder: true);
        foreach (var decisionId in decisionIds)
        {
            var decided = (await session.Events.FetchStreamAsync(decisionId)).Select(e => e.Data).OfType<AccessDecided>().Single();
            decided.Allowed.ShouldBeTrue();
        }
    }

    [Fact]
    public async Task A_seeded_datasets_lineage_reaches_a_fine_tune_of_a_model_trained_on_it()
    {
        var (model, baseModel, dataset) = broker.Models
            .Where(m => m.BaseModel?.ModelVersionId is not null)
            .SelectMany(m =>
            {
                var b = Model(m.BaseModel!.ModelVersionId!.Value);
                return ReadBy(b).Select(r => r.Item1).Except(ReadBy(m).Select(r => r.Item1)).Select(d => (Model: m, Base: b, Dataset: d));
            })
            .First();

        var response = await Auditor.GetAsync($"/datasets/{dataset}/lineage");

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var lineage = await DatasetApi.ReadJsonAsync(response);
        var models = lineage["modelVersions"]!.AsArray()
            .Select(m => (Version: m!["version"]!.GetValue<string>(), Depth: m["depth"]!.GetValue<int>())).ToList();
        models.ShouldContain((baseModel.Version, 0));
        models.ShouldContain(m => m.Version == model.Version && m.Depth >= 1);
        lineage["runs"]!.AsArray().Select(r => Guid.Parse(r!["runId"]!.GetValue<string>())).ShouldContain(baseModel.RunId!.Value);
        lineage["jobs"]!.AsArray().Select(j => Guid.Parse(j!["jobId"]!.GetValue<string>())).ShouldContain(baseModel.JobId);
        lineage["status"]!.GetValue<string>().ShouldBe(DatasetView.Token(DatasetStatus.Active));
    }

    private static HashSet<(Guid, int)> ToSet(IEnumerable<JsonNode?> versions) =>
        versions.Select(v => (Guid.Parse(v!["datasetId"]!.GetValue<string>()), v["version"]!.GetValue<int>())).ToHashSet();
}
