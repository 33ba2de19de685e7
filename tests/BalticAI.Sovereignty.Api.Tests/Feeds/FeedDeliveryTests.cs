using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Feeds.Outbox;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Ledger;
using BalticAI.Sovereignty.Contracts.Feeds;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace BalticAI.Sovereignty.Api.Tests.Feeds;

public sealed class FeedDeliveryTests(FeedBrokerFactory broker) : IClassFixture<FeedBrokerFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private static readonly Actor PolishMinistry = new("pl-mc", "PL", "registry-app", "ps:someone");

    [Fact]
    public async Task An_event_reaches_every_authority_of_every_concerned_country_and_the_EU_only()
    {
        var decision = new ProbeDecisionMade(Guid.NewGuid(), "allow", ["LT"], "approved after a call with Jan Kowalski");
        var eventId = await broker.AppendAsync(PolishMinistry, decision);

        foreach (var authority in new[] { "pl-uodo", "pl-kribsi", "lt-vdai", "lt-rrt", "eu-ai-office" })
        {
            var envelopes = (await ReadUntilAsync(authority, eventId)).Select(Parse).Where(e => e.Id == eventId).ToList();
            envelopes.Count.ShouldBe(1, authority);
        }
        foreach (var authority in new[] { "ee-aki", "ee-ttja", "lv-dvi", "lv-ptac" })
        {
            (await FeedQueueReader.RemainingAsync(broker.Rabbit, broker.QueueFor(authority)))
                .Select(Parse).ShouldNotContain(e => e.Id == eventId, authority);
        }
    }

    [Fact]
    public async Task Envelope_is_a_signed_CloudEvent_with_facts_only_and_the_stored_bytes()
    {
        var decision = new ProbeDecisionMade(Guid.NewGuid(), "deny", ["EE"], "Jan Kowalski asked for it");
        var eventId = await broker.AppendAsync(PolishMinistry, decision);

        var delivered = (await ReadUntilAsync("ee-aki", eventId)).Single(b => Parse(b).Id == eventId);
        var envelope = JsonNode.Parse(delivered)!.AsObject();
        var schema = EnvelopeSchema.Evaluate(delivered);
        schema.IsValid.ShouldBeTrue(string.Join("; ", (schema.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));

        envelope["specversion"]!.GetValue<string>().ShouldBe("1.0");
        envelope["source"]!.GetValue<string>().ShouldBe("/feeds/EE");
        envelope["type"]!.GetValue<string>().ShouldBe("eu.baltic-ai.sovereignty.probe-decision-made");
        envelope["datacontenttype"]!.GetValue<string>().ShouldBe("application/json");
        envelope["data"]!["event"]!["outcome"]!.GetValue<string>().ShouldBe("deny");
        envelope["data"]!["actor"]!["organisation"]!.GetValue<string>().ShouldBe("pl-mc");
        System.Text.Encoding.UTF8.GetString(delivered).ShouldNotContain("Kowalski");
        System.Text.Encoding.UTF8.GetString(delivered).ShouldNotContain("ps:someone");
        FeedEnvelopeSeal.HasValidSignature(envelope, await PublishedKeysAsync(), out var kid).ShouldBeTrue();
        kid.ShouldNotBeNullOrEmpty();

        var stored = await broker.Services.GetRequiredService<FeedLog>().ReadFeedAsync("EE", 0, 1000, CancellationToken.None);
        stored.Single(s => s.EventId.ToString() == eventId).Body.ShouldBe(delivered);
    }

    [Fact]
    public async Task Each_feed_is_numbered_without_gaps_and_chained_by_the_hash_of_the_stored_bytes()
    {
        var writes = Enumerable.Range(0, 40).Select(i => broker.AppendAsync(
            new Actor(i % 2 == 0 ? "lv-nvd" : "eu-ai-office", i % 2 == 0 ? "LV" : "EU", "app", "ps:x"),
            new ProbeDecisionMade(Guid.NewGuid(), "allow", i % 3 == 0 ? ["PL"] : [], "n/a")));
        await Task.WhenAll(writes);

        var log = broker.Services.GetRequiredService<FeedLog>();
        await WaitUntilAsync(async () => (await log.ReadFeedAsync("EU", 0, 10_000, CancellationToken.None)).Count >= 40);
        foreach (var feed in FeedNames.All)
        {
            var envelopes = await log.ReadFeedAsync(feed, 0, 10_000, CancellationToken.None);
            var previous = FeedEnvelopeFields.GenesisHash;
            for (var i = 0; i < envelopes.Count; i++)
            {
                var envelope = JsonNode.Parse(envelopes[i].Body)!;
                envelope["feedseq"]!.GetValue<long>().ShouldBe(i + 1, feed);
                envelope["prevhash"]!.GetValue<string>().ShouldBe(previous, feed);
                previous = FeedEnvelopeSeal.HashOf(envelopes[i].Body);
            }
        }
    }

    [Fact]
    public async Task Sealing_an_event_again_returns_the_stored_envelope_unchanged()
    {
        var eventId = Guid.Parse(await broker.AppendAsync(PolishMinistry, new ProbeDecisionMade(Guid.NewGuid(), "allow", [], "x")));
        var log = broker.Services.GetRequiredService<FeedLog>();
        await WaitUntilAsync(async () => (await log.FindAsync([eventId], CancellationToken.None)).Count == 2);
        var first = await log.FindAsync([eventId], CancellationToken.None);

        await using var session = broker.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var ledgerEvent = await session.Events.LoadAsync(eventId);
        var again = await broker.Services.GetRequiredService<FeedSealer>().SealAsync([ledgerEvent!], CancellationToken.None);

        again.Count.ShouldBe(2);
        foreach (var envelope in again)
        {
            envelope.Body.ShouldBe(first[(envelope.Feed, eventId)].Body);
            envelope.Seq.ShouldBe(first[(envelope.Feed, eventId)].Seq);
        }
    }

    [Fact]
    public async Task Events_that_are_not_ledger_events_are_not_sent()
    {
        await using (var session = broker.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            session.Events.StartStream(Guid.NewGuid(), new ProbeInternalTick(1));
            await session.SaveChangesAsync();
        }
        var marker = await broker.AppendAsync(PolishMinistry, new ProbeDecisionMade(Guid.NewGuid(), "allow", [], "x"));

        var envelopes = (await ReadUntilAsync("eu-ai-office", marker)).Select(Parse).ToList();
        envelopes.ShouldContain(e => e.Id == marker);
        envelopes.ShouldAllBe(e => e.Type != "eu.baltic-ai.sovereignty.probe-internal-tick");
    }

    /// <summary>Reads a queue (other tests of the class share it) until the given event arrived.</summary>
    private async Task<List<byte[]>> ReadUntilAsync(string authority, string eventId)
    {
        var all = new List<byte[]>();
        var deadline = DateTime.UtcNow + Wait;
        while (all.All(b => Parse(b).Id != eventId) && DateTime.UtcNow < deadline)
        {
            all.AddRange(await FeedQueueReader.ReadAsync(broker.Rabbit, broker.QueueFor(authority), 1, Wait));
        }
        return all;
    }

    private static (string Id, string Type) Parse(byte[] body)
    {
        var envelope = JsonNode.Parse(body)!;
        return (envelope["id"]!.GetValue<string>(), envelope["type"]!.GetValue<string>());
    }

    private async Task<List<JsonObject>> PublishedKeysAsync()
    {
        var jwks = JsonNode.Parse(await broker.CreateClient().GetStringAsync("/.well-known/jwks.json"))!;
        return jwks["keys"]!.AsArray().Select(k => k!.AsObject()).ToList();
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition) =>
        (await Eventually.HoldsWithinAsync(Wait, condition)).ShouldBeTrue("condition not met within " + Wait);
}
