using System.Diagnostics.Metrics;
using BalticAI.Sovereignty.Api.Feeds;
using BalticAI.Sovereignty.Api.Infrastructure.Telemetry;
using BalticAI.Sovereignty.Api.Ledger.Holding;
using BalticAI.Sovereignty.Api.Ledger.Tree;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BalticAI.Sovereignty.Api.Tests.Telemetry;

public sealed class HeldGaugeTests
{
    private const string Held = "balticai.ledger.subscription.held";

    [Fact]
    public async Task The_held_gauge_is_1_for_a_holding_subscription_while_it_holds_and_0_after()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var telemetry = new BrokerTelemetry(services.GetRequiredService<IMeterFactory>());
        var holds = new SubscriptionHolds(NullLogger<SubscriptionHolds>.Instance);
        // Never queried: only the held gauge is read here, and the lag gauge's own query runs on a first reading of it.
        await using var store = new LedgerStore(NpgsqlDataSource.Create(TestServices.PostgresConnectionString), "t_never_created");
        _ = new LedgerGauges(telemetry, holds, new SubscriptionLag(store, NullLogger<SubscriptionLag>.Instance), Options.Create(new FeedsOptions { Enabled = true }));
        using var metrics = new MetricRecorder(telemetry.Meter);

        metrics.Latest(Held, "subscription", "RegulatorFeeds").ShouldBe(0);
        using var stop = new CancellationTokenSource();
        var holding = holds.HoldAsync("RegulatorFeeds", new UnreadEvent(42, "some_newer_event"), stop.Token);
        await MetricRecorder.UntilAsync(() => holds.Current.ContainsKey("RegulatorFeeds"), "the hold");

        metrics.Latest(Held, "subscription", "RegulatorFeeds").ShouldBe(1);
        metrics.Latest(Held, "subscription", "ledger_event_index").ShouldBe(0);

        await stop.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => holding);
        metrics.Latest(Held, "subscription", "RegulatorFeeds").ShouldBe(0);
    }
}
