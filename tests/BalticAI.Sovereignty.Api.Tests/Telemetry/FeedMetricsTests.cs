using System.Net;
using BalticAI.Sovereignty.Api.Feeds.Outbox;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Infrastructure.Telemetry;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Feeds;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;

namespace BalticAI.Sovereignty.Api.Tests.Telemetry;

public sealed class FeedMetricsTests(FeedBrokerFactory broker) : IClassFixture<FeedBrokerFactory>
{
    private const string Published = "balticai.feeds.envelopes.published";

    [Fact]
    public async Task Envelopes_are_counted_per_feed_once_RabbitMQ_confirmed_them_up_to_a_decisions_own()
    {
        using var metrics = new MetricRecorder(broker.Services.GetRequiredService<BrokerTelemetry>().Meter);
        // Read after the listener started: an envelope sealed after this was published after it too.
        var log = broker.Services.GetRequiredService<FeedLog>();
        var before = (await log.HeadsAsync(["PL"], CancellationToken.None)).GetValueOrDefault("PL")?.Seq ?? 0;
        await ActivateAsync(broker, Bundle("telemetry-feeds"));
        var site = await RegisterSiteAsync(broker, $"pl-tf-{Guid.NewGuid():N}"[..20], "PL");
        var job = await RegisterJobAsync(broker, site, commercial: false);
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);

        var response = await broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem)
            .PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)));
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var decision = Guid.Parse((await DatasetApi.ReadJsonAsync(response))["decisions"]![0]!["decisionId"]!.GetValue<string>());

        // The decision's PL envelope and every PL envelope sealed between the listener's start and it were confirmed and counted.
        SealedEnvelope? sealedDecision = null;
        await MetricRecorder.UntilAsync(() =>
        {
            sealedDecision = log.FindAsync([decision], CancellationToken.None).GetAwaiter().GetResult().GetValueOrDefault(("PL", decision));
            return sealedDecision is not null;
        }, "the decision's PL envelope being sealed");
        await MetricRecorder.UntilAsync(() => metrics.Sum(Published, "feed", "PL") >= sealedDecision!.Seq - before, "the PL envelopes being counted");

        metrics.Sum(Published, "feed", "EU").ShouldBeGreaterThan(0);
        metrics.Of(Published).Select(p => p.Tag("feed")).Distinct().ShouldBeSubsetOf(["PL", "EE", "LT", "LV", "EU"]);
    }
}
