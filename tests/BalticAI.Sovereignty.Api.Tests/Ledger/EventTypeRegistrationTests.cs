using BalticAI.Sovereignty.Api.Ledger;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using Marten;
using Marten.Events;
using Microsoft.Extensions.DependencyInjection;

namespace BalticAI.Sovereignty.Api.Tests.Ledger;

/// <summary>
/// Marten learns an event type when it is first appended, but a node's daemon only reads the types its
/// store knows; the feeds and the index hold before any other (Ledger/Holding). So every ledger event type
/// must be registered when a node starts, or a node that never appended one would hold on another node's.
/// </summary>
public sealed class EventTypeRegistrationTests(BrokerFactory broker) : IClassFixture<BrokerFactory>
{
    [Fact]
    public void Every_ledger_event_type_of_the_broker_is_known_to_a_node_from_its_start()
    {
        var events = (EventGraph)broker.Services.GetRequiredService<IDocumentStore>().Options.Events;
        var known = events.AllKnownEventTypes().Select(t => t.EventType).ToHashSet();
        var ledgerEvents = typeof(ILedgerEvent).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ILedgerEvent).IsAssignableFrom(t))
            .ToList();

        ledgerEvents.Count.ShouldBeGreaterThan(20);
        ledgerEvents.Where(t => !known.Contains(t)).Select(t => t.FullName).ShouldBeEmpty();
    }
}
