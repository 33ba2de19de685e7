using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Ledger;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace BalticAI.Sovereignty.Api.Tests.Feeds;

/// <summary>
/// The feed forwarder reads later events itself when it is behind; they must carry what the feeds route
/// by (the data's countries and the acting organisation's country in the headers), as the daemon's pages do.
/// </summary>
public sealed class ReadAheadTests(FeedBrokerFactory broker) : IClassFixture<FeedBrokerFactory>
{
    [Fact]
    public async Task Events_read_by_sequence_carry_their_data_and_actor()
    {
        var store = broker.Services.GetRequiredService<IDocumentStore>();
        var actor = new Actor("lt-vdai", "LT", "registry-app", "ps:someone");
        long sequence;
        await using (var session = store.LightweightSession())
        {
            session.RecordActor(actor);
            var stream = session.Events.StartStream(Guid.NewGuid(), new ProbeDecisionMade(Guid.NewGuid(), "allow", ["LV"], "x"));
            await session.SaveChangesAsync();
            sequence = stream.Events.Single().Sequence;
        }

        var floor = sequence - 1;
        await using var reader = store.LightweightSession();
        var read = (await reader.Events.QueryAllRawEvents().Where(e => e.Sequence > floor && e.Sequence <= sequence).ToListAsync()).Single();

        read.Data.ShouldBeOfType<ProbeDecisionMade>().Countries.ShouldContain("LV");
        read.ReadActor().ShouldBe(actor);
    }
}
