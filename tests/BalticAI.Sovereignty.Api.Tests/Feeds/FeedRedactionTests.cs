using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Feeds.Outbox;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Ledger;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Api.Tests.Provenance;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;

namespace BalticAI.Sovereignty.Api.Tests.Feeds;

public sealed class FeedRedactionTests(FeedBrokerFactory broker) : IClassFixture<FeedBrokerFactory>
{
    private const string Prose = "Prose by Jan Kowalski";

    [Fact]
    public async Task A_decision_carries_the_facts_of_its_policy_input_but_none_of_the_owner_written_text()
    {
        await ProvenanceWorld.ActivateTestBundleAsync(broker, "redaction");
        var site = await RegisterSiteAsync(broker, $"pl-rd-{Guid.NewGuid():N}"[..20], "PL");
        var job = await RegisterJobAsync(broker, site, commercial: false);
        var terms = DatasetApi.Terms(title: Prose + " (title)");
        terms["controller"] = Prose + " (controller)";
        terms["description"] = Prose + " (description)";
        terms["origin"]!["collectionMethod"] = Prose + " (collection method)";
        terms["origin"]!["preparationSteps"] = new JsonArray(Prose + " (preparation)");
        terms["content"]!["knownBiases"] = new JsonArray(Prose + " (biases)");
        terms["content"]!["preprocessing"] = new JsonArray(Prose + " (preprocessing)");
        terms["use"] = new JsonObject { ["intendedUse"] = Prose + " (intended use)" };
        var owner = broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner);
        var (dataset, etag) = await owner.RegisterAsync(terms);
        (await owner.PostJsonAsync($"/datasets/{dataset}/versions", DatasetApi.Version(), etag)).StatusCode.ShouldBe(HttpStatusCode.Created);

        var asked = await ProvenanceWorld.TrainingSystem(broker).PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)));
        asked.StatusCode.ShouldBe(HttpStatusCode.OK, await asked.Content.ReadAsStringAsync());

        (await FeedRows.FeedsOfAsync(broker, "access_decided", "DatasetId", dataset.ToString())).ShouldContain("PL");
        var ids = await FeedRows.EventIdsAsync(broker, "access_decided", "DatasetId", dataset.ToString());
        var envelope = (await broker.Services.GetRequiredService<FeedLog>().FindAsync(ids, CancellationToken.None))[("PL", ids.Single())].Body;
        Encoding.UTF8.GetString(envelope).ShouldNotContain("Kowalski");
        var input = JsonNode.Parse(envelope)!["data"]!["event"]!["input"]!;
        input["dataset"]!["licensing"]!["licence"]!.GetValue<string>().ShouldBe("CC-BY-4.0");
        input["dataset"]!["countryOfOrigin"]!.GetValue<string>().ShouldBe("PL");
    }

    [Fact]
    public async Task Seeded_history_marked_feed_off_is_not_sent()
    {
        var seeded = Guid.NewGuid();
        await using (var session = broker.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            session.RecordActor(new Actor("pl-mc", "PL", "seed", "ps:seed"));
            // What `balticai seed` stamps on history it writes without --feeds.
            session.SetHeader("feed", "off");
            session.Events.StartStream(Guid.NewGuid(), new ProbeDecisionMade(seeded, "allow", ["LT"], "seeded"));
            await session.SaveChangesAsync();
        }
        var marker = Guid.NewGuid();
        await broker.AppendAsync(new Actor("pl-mc", "PL", "app", "ps:x"), new ProbeDecisionMade(marker, "allow", ["LT"], "live"));

        (await FeedRows.FeedsOfAsync(broker, "probe_decision_made", "JobId", marker.ToString())).ShouldBe(["EU", "LT", "PL"], ignoreOrder: true);
        var ids = await FeedRows.EventIdsAsync(broker, "probe_decision_made", "JobId", seeded.ToString());
        ids.ShouldHaveSingleItem();
        (await broker.Services.GetRequiredService<FeedLog>().FindAsync(ids, CancellationToken.None)).ShouldBeEmpty();
    }
}
