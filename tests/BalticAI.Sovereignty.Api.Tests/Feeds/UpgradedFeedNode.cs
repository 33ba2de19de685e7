using BalticAI.Sovereignty.Api.Tests.Fixtures;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace BalticAI.Sovereignty.Api.Tests.Feeds;

/// <summary>
/// A newer release of the broker beside <paramref name="old"/> during a rolling upgrade: the same schema,
/// feed queues and keys, one event type more (<see cref="ProbeFutureDecision"/>), and a hot/cold daemon
/// that waits for the old node's lock.
/// </summary>
public sealed class UpgradedFeedNode(FeedBrokerFactory old) : BrokerFactory
{
    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var settings = base.Settings;
            settings["Marten:Schema"] = old.Schema;
            settings["Feeds:Enabled"] = "true";
            settings["Feeds:Exchange"] = old.Exchange;
            settings["Feeds:QueuePrefix"] = old.QueuePrefix;
            settings["Feeds:DaemonMode"] = "HotCold";
            return settings;
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Identity:DevelopmentIssuer:KeyPath", old.IssuerKeyPath);
        builder.UseSetting("Identity:PseudonymKeyPath", Path.Combine(old.DataDirectory, "pseudonym-key"));
        builder.UseSetting("Signing:KeyDirectory", old.SigningKeyDirectory);
        builder.ConfigureTestServices(services => services.ConfigureMarten(store =>
        {
            store.Events.AddEventType<ProbeDecisionMade>();
            store.Events.AddEventType<ProbeFutureDecision>();
        }));
    }
}
