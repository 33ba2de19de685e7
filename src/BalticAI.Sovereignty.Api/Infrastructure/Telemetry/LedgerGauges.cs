using System.Diagnostics.Metrics;
using BalticAI.Sovereignty.Api.Feeds;
using BalticAI.Sovereignty.Api.Feeds.Outbox;
using BalticAI.Sovereignty.Api.Ledger.Holding;
using BalticAI.Sovereignty.Api.Ledger.QueryingEvents;
using Microsoft.Extensions.Options;

namespace BalticAI.Sovereignty.Api.Infrastructure.Telemetry;

/// <summary>
/// The ledger subscriptions' observable gauges: whether each one holds before an event it cannot read, and
/// how far each trails the ledger. A hosted service only so that the host creates it, and with it the
/// gauges, at start; it runs nothing itself.
/// </summary>
public sealed class LedgerGauges : IHostedService
{
    public LedgerGauges(BrokerTelemetry telemetry, SubscriptionHolds holds, SubscriptionLag lag, IOptions<FeedsOptions> feeds)
    {
        // The subscriptions that can hold are listed even while they do not, so the gauge reads 0 instead of
        // vanishing and an alert on "> 0" sees it end.
        string[] holding = feeds.Value.Enabled ? [FeedForwarder.SubscriptionName, LedgerEventIndexer.SubscriptionId] : [LedgerEventIndexer.SubscriptionId];
        telemetry.Meter.CreateObservableGauge("balticai.ledger.subscription.held", () => Held(holds, holding), "{subscription}",
            "1 while the subscription holds before a ledger event this build cannot read (nothing after it is forwarded or indexed), else 0.");
        telemetry.Meter.CreateObservableGauge("balticai.ledger.subscription.lag", () => Lag(lag), "{event}",
            "Ledger events between the highest committed sequence and the subscription's saved progress (refreshed at most every 5 s).");
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    internal static IEnumerable<Measurement<int>> Held(SubscriptionHolds holds, IReadOnlyCollection<string> holding)
    {
        var held = holds.Current;
        return holding.Union(held.Keys, StringComparer.Ordinal)
            .Select(name => new Measurement<int>(held.ContainsKey(name) ? 1 : 0, new KeyValuePair<string, object?>("subscription", name)));
    }

    private static IEnumerable<Measurement<long>> Lag(SubscriptionLag lag) =>
        lag.Current().Select(l => new Measurement<long>(l.Events, new KeyValuePair<string, object?>("subscription", l.Shard)));
}
