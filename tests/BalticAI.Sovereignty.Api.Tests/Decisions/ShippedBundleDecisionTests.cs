using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Decisions.ShippedBundleApi;

namespace BalticAI.Sovereignty.Api.Tests.Decisions;

/// <summary>
/// The shipped bundle deciding on inputs the broker builds from what was registered through the API, not on
/// hand-written policy inputs: the fixtures' outcomes must hold on this path too, or a rule reads a field the
/// broker never fills (as the licence rules once read keys the shipped licence terms do not have).
/// </summary>
public sealed class ShippedBundleDecisionTests(BrokerFactory broker) : IClassFixture<BrokerFactory>, IAsyncLifetime
{
    private static readonly JsonObject ResearchOnlyBase = new() { ["name"] = "pllum-8b-research", ["version"] = "1.0", ["licence"] = "LicenseRef-PLLuM-Research" };
    private Guid _site;
    private Guid _ordinary;
    private Guid _researchOnly;

    public async Task InitializeAsync()
    {
        await WaitForShippedBundleAsync(broker);
        _site = await RegisterSiteAsync(broker, $"pl-ship-{Guid.NewGuid():N}"[..20], "PL");
        _ordinary = await RegisterAsync(Documented("Public transcripts"));
        var researchOnly = Documented("PLLuM-like research corpus");
        researchOnly["licensing"] = new JsonObject { ["licence"] = "LicenseRef-PLLuM-Research", ["restrictions"] = new JsonArray("nc", "research-only"), ["copyrightBasis"] = "tdm-research-exception" };
        _researchOnly = await RegisterAsync(researchOnly);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_documented_public_corpus_goes_to_a_research_job_with_a_grant()
    {
        var decision = await DecideAsync(_ordinary, commercial: false, modelLicence: "Apache-2.0");

        decision["allowed"]!.GetValue<bool>().ShouldBeTrue(decision.ToJsonString());
        decision["grant"]!["token"]!.GetValue<string>().ShouldNotBeNullOrEmpty();
        Types(decision, "obligations").ShouldContain("record-decision");
    }

    [Fact]
    public async Task A_research_only_corpus_is_refused_to_a_commercial_job()
    {
        var decision = await DecideAsync(_researchOnly, commercial: true, modelLicence: "Apache-2.0");

        decision["allowed"]!.GetValue<bool>().ShouldBeFalse();
        Rules(decision).ShouldBe(["licence-propagation", "research-only"]);
        decision["grant"].ShouldBeNull();
    }

    [Fact]
    public async Task A_research_only_corpus_goes_to_a_research_job_whose_model_stays_non_commercial()
    {
        var decision = await DecideAsync(_researchOnly, commercial: false, modelLicence: "CC-BY-NC-4.0");

        decision["allowed"]!.GetValue<bool>().ShouldBeTrue(decision.ToJsonString());
        Types(decision, "obligations").ShouldBe(["model-inherits-non-commercial", "model-licence-at-most", "record-decision"], ignoreOrder: true);
    }

    [Fact]
    public async Task A_research_job_that_would_release_its_model_under_a_broader_licence_is_refused()
    {
        var decision = await DecideAsync(_researchOnly, commercial: false, modelLicence: "Apache-2.0");

        decision["allowed"]!.GetValue<bool>().ShouldBeFalse();
        Rules(decision).ShouldBe(["licence-propagation"]);
        Messages(decision).ShouldContain(m => m.Contains("broader", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_commercial_job_fine_tuning_a_research_only_base_model_is_refused()
    {
        var decision = await DecideAsync(_ordinary, commercial: true, modelLicence: "Apache-2.0", ResearchOnlyBase);

        decision["allowed"]!.GetValue<bool>().ShouldBeFalse();
        Rules(decision).ShouldBe(["licence-propagation", "research-only"]);
        Messages(decision).ShouldContain(m => m.Contains("of the base model pllum-8b-research excludes commercial use", StringComparison.Ordinal));
        Messages(decision).ShouldContain(m => m.Contains("the base model pllum-8b-research is research-only", StringComparison.Ordinal));
    }

    private Task<JsonNode> DecideAsync(Guid dataset, bool commercial, string modelLicence, JsonObject? baseModel = null) =>
        ShippedBundleApi.DecideAsync(broker, _site, dataset, job =>
        {
            job["purpose"] = commercial ? "commercial" : "research";
            job["commercial"] = commercial;
            job["model"]!["licence"] = modelLicence;
            job["baseModel"] = baseModel?.DeepClone();
        });

    private Task<Guid> RegisterAsync(JsonObject terms) => ShippedBundleApi.RegisterAsync(broker, terms);
}
