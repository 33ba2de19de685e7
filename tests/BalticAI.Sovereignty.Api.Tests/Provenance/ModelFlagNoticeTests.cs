using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Provenance;
using BalticAI.Sovereignty.Api.Provenance.QueryingLineage;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Feeds;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Contracts.Provenance;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Provenance.ProvenanceWorld;

namespace BalticAI.Sovereignty.Api.Tests.Provenance;

/// <summary>A model version's flags and their clearing reach the training system that registered it over RabbitMQ, and no other.</summary>
public sealed class ModelFlagNoticeTests(BrokerFactory broker) : IClassFixture<BrokerFactory>, IAsyncLifetime
{
    private readonly ConnectionFactory _rabbit = new() { HostName = TestServices.RabbitMqHost, Port = int.Parse(TestServices.RabbitMqPort) };
    private readonly string _queue = "test.model-flags." + Guid.NewGuid().ToString("N");
    private Guid _site;

    public async Task InitializeAsync()
    {
        await ActivateTestBundleAsync(broker, "provenance-notices");
        _site = await RegisterSiteAsync(broker, $"pl-mfn-{Guid.NewGuid():N}"[..20], "PL");
        // pl-cyfronet's own queue, bound to its organisation id on the model flag exchange.
        await using var connection = await _rabbit.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync(ModelFlagNotice.Exchange, ExchangeType.Topic, durable: true);
        await channel.QueueDeclareAsync(_queue, durable: false, exclusive: false, autoDelete: false);
        await channel.QueueBindAsync(_queue, ModelFlagNotice.Exchange, "pl-cyfronet");
    }

    public async Task DisposeAsync()
    {
        await using var connection = await _rabbit.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeleteAsync(_queue);
    }

    [Fact]
    public async Task A_restriction_and_its_lifting_tell_the_training_system_that_registered_each_model_version_trained_on_the_data()
    {
        var model = $"notice-{Guid.NewGuid():N}"[..15];
        var (job, dataset, _) = await GrantedJobAsync(broker, _site);
        await TrainAsync(broker, job, [Input(dataset)], ModelOutput(model, "1"));
        var (foreignJob, _, _) = await GrantedJobAsync(broker, _site, trainingSystem: TestTenants.LtRegisters);
        await RedeemAsync(broker, await GrantAsync(broker, foreignJob, dataset, trainingSystem: TestTenants.LtRegisters));
        await TrainAsync(broker, foreignJob, [Input(dataset)], ModelOutput($"{model}-lt", "1"), TestTenants.LtRegisters);
        var owner = broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner);
        var etag = (await owner.GetAsync($"/datasets/{dataset}")).Headers.ETag!.ToString();

        var restricted = await owner.PostJsonAsync($"/datasets/{dataset}/restriction", new JsonObject { ["reason"] = "objection-pending" }, etag);
        restricted.StatusCode.ShouldBe(HttpStatusCode.OK, await restricted.Content.ReadAsStringAsync());
        var flagged = await NextNoticesAsync(n => n["flagged"]!.GetValue<bool>(), 1);
        var lifted = await owner.PostJsonAsync($"/datasets/{dataset}/restriction/lifting", new JsonObject { ["reason"] = "objection-rejected" }, restricted.Headers.ETag!.ToString());
        lifted.StatusCode.ShouldBe(HttpStatusCode.OK, await lifted.Content.ReadAsStringAsync());
        var cleared = await NextNoticesAsync(n => !n["flagged"]!.GetValue<bool>(), 1);

        var notice = flagged.Single();
        (notice["modelId"]!.GetValue<string>(), notice["version"]!.GetValue<string>(), notice["datasetId"]!.GetValue<Guid>()).ShouldBe((model, "1", dataset));
        notice["reasons"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldBe(["dataset-restricted:objection-pending"]);
        (notice["trainingSystem"]!.GetValue<string>(), notice["operator"]!.GetValue<string>()).ShouldBe(("pl-cyfronet", "pl-cyfronet"));
        await using (var session = broker.Services.GetRequiredService<IDocumentStore>().QuerySession())
        {
            var stream = await session.Events.FetchStreamAsync(LineageNames.ModelVersionId(model, "1"));
            stream.Single(e => e.Id == notice["eventId"]!.GetValue<Guid>()).Data.ShouldBeOfType<ModelVersionFlagged>().DatasetId.ShouldBe(dataset);
            stream.Single(e => e.Id == cleared.Single()["eventId"]!.GetValue<Guid>()).Data.ShouldBeOfType<ModelVersionUnflagged>();
        }
        cleared.Single()["reasons"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldBe(["dataset-restricted:objection-pending"]);
        cleared.Single()["modelId"]!.GetValue<string>().ShouldBe(model);
    }

    /// <summary>
    /// The notices of this class's queue that <paramref name="wanted"/> picks, once <paramref name="count"/> arrived; a notice
    /// for another training system's model version (lt-rc's, routed elsewhere) fails the test.
    /// </summary>
    private async Task<List<JsonNode>> NextNoticesAsync(Func<JsonNode, bool> wanted, int count)
    {
        var found = new List<JsonNode>();
        var clock = Stopwatch.StartNew();
        while (found.Count < count && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            foreach (var raw in await FeedQueueReader.ReadAsync(_rabbit, _queue, 1, TimeSpan.FromSeconds(1)))
            {
                // MassTransit's envelope: the notice is its `message`.
                var message = JsonNode.Parse(raw)!["message"]!;
                message["trainingSystem"]!.GetValue<string>().ShouldBe("pl-cyfronet", message.ToJsonString());
                if (wanted(message))
                {
                    found.Add(message);
                }
            }
        }
        found.Count.ShouldBe(count, "model flag notices within 20 s");
        return found;
    }
}
