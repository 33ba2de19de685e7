using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Decisions.ShippedBundleApi;

namespace BalticAI.Sovereignty.Api.Tests.Decisions;

/// <summary>
/// The shipped GPAI rule on a crawl as the API records it: the record-gpai-summary obligation carries what the
/// Commission's training-content summary template asks of crawled data (balticai-default-2026.11.4 carried
/// only the crawler's name and the opt-out evidence).
/// </summary>
public sealed class ShippedBundleTrainingSummaryTests(BrokerFactory broker) : IClassFixture<BrokerFactory>
{
    [Fact]
    public async Task A_general_purpose_job_on_crawled_data_is_obliged_to_report_the_crawl_and_the_domains_it_left_out()
    {
        await WaitForShippedBundleAsync(broker);
        var site = await RegisterSiteAsync(broker, $"pl-gpai-{Guid.NewGuid():N}"[..20], "PL");
        var terms = Documented("Crawled Polish web");
        terms["origin"]!["sourceType"] = "crawled";
        terms["origin"]!["crawler"] = new JsonObject
        {
            ["userAgent"] = "PLLuMBot/1.0", ["honoursRobotsTxt"] = true, ["honoursTdmReservationProtocol"] = false,
            ["excludedDomains"] = new JsonArray("wp.pl", "onet.pl"),
        };
        terms["evidence"] = new JsonObject { ["tdmOptOutCheck"] = new JsonObject { ["reference"] = "TDM-CHECK-2026-04" } };
        var dataset = await RegisterAsync(broker, terms);

        var decision = await DecideAsync(broker, site, dataset, job => job["generalPurposeModel"] = true);

        decision["allowed"]!.GetValue<bool>().ShouldBeTrue(decision.ToJsonString());
        var summary = decision["obligations"]!.AsArray().Single(o => o!["type"]!.GetValue<string>() == "record-gpai-summary")!;
        summary["crawler"]!.GetValue<string>().ShouldBe("PLLuMBot/1.0");
        summary["honoursRobotsTxt"]!.GetValue<bool>().ShouldBeTrue();
        summary["honoursTdmReservationProtocol"]!.GetValue<bool>().ShouldBeFalse();
        summary["excludedDomains"]!.AsArray().Select(d => d!.GetValue<string>()).ShouldBe(["wp.pl", "onet.pl"]);
        summary["tdmOptOutMeasures"]!.GetValue<string>().ShouldBe("TDM-CHECK-2026-04");
    }
}
