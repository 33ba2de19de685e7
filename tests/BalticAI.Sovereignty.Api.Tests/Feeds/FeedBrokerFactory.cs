using BalticAI.Sovereignty.Api.Feeds;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Ledger;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace BalticAI.Sovereignty.Api.Tests.Feeds;

/// <summary>
/// A broker whose feed exchange and queues carry a per-fixture prefix, so that test runs never mix
/// with each other or with a running broker on the shared RabbitMQ; they are deleted afterwards.
/// </summary>
public sealed class FeedBrokerFactory : BrokerFactory
{
    private readonly string _prefix = "test." + Guid.NewGuid().ToString("N")[..12] + ".";

    /// <summary>HotCold for a test whose second node takes the daemon over.</summary>
    public string DaemonMode { get; init; } = "Solo";

    public string Exchange => _prefix + "feeds";

    public string QueuePrefix => _prefix;

    public string QueueFor(string authority) => _prefix + authority;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Feeds:Enabled"] = "true",
        ["Feeds:Exchange"] = Exchange,
        ["Feeds:QueuePrefix"] = _prefix,
        ["Feeds:DaemonMode"] = DaemonMode,
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.ConfigureMarten(store =>
        {
            store.Events.AddEventType<ProbeDecisionMade>();
            store.Events.AddEventType<ProbeNote>();
            store.Events.AddEventType<ProbeInternalTick>();
        }));
    }

    /// <summary>Records <paramref name="ledgerEvent"/> in a new stream as <paramref name="actor"/>; returns its event id.</summary>
    public async Task<string> AppendAsync(Actor actor, object ledgerEvent)
    {
        await using var session = Services.GetRequiredService<IDocumentStore>().LightweightSession();
        session.RecordActor(actor);
        var stream = session.Events.StartStream(Guid.NewGuid(), ledgerEvent);
        await session.SaveChangesAsync();
        return stream.Events.Single().Id.ToString();
    }

    public IConnectionFactory Rabbit => new ConnectionFactory { HostName = TestServices.RabbitMqHost, Port = int.Parse(TestServices.RabbitMqPort) };

    public override async ValueTask DisposeAsync()
    {
        var authorities = Services.GetRequiredService<IOptions<FeedsOptions>>().Value.Authorities.Keys.ToList();
        await base.DisposeAsync();
        try
        {
            await using var connection = await Rabbit.CreateConnectionAsync();
            await using var channel = await connection.CreateChannelAsync();
            foreach (var authority in authorities)
            {
                await channel.QueueDeleteAsync(QueueFor(authority));
            }
            await channel.ExchangeDeleteAsync(Exchange);
        }
        catch (RabbitMQ.Client.Exceptions.BrokerUnreachableException)
        {
            // Nothing was declared on a RabbitMQ that cannot be reached.
        }
    }
}
