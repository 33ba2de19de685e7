using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Decisions.ShippedBundleApi;

namespace BalticAI.Sovereignty.Api.Tests.Decisions;

/// <summary>
/// The shipped residency rules on registered sites: which national classes a site holds, and what Estonia's
/// data embassy counts as (each of these was decided the other way by balticai-default-2026.11.4).
/// </summary>
public sealed class ShippedBundleNationalInfrastructureTests(BrokerFactory broker) : IClassFixture<BrokerFactory>, IAsyncLifetime
{
    private Guid _eeSite;
    private Guid _embassy;

    public async Task InitializeAsync()
    {
        await WaitForShippedBundleAsync(broker);
        _eeSite = await RegisterSiteHoldingAsync("EE", "E-ITS-H");
        var embassy = Site(Code("lu-ee"), "LU");
        embassy["dataEmbassyFor"] = "EE";
        _embassy = await RegisterSiteAsync(broker, embassy);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_site_registered_for_a_higher_Polish_class_holds_the_lower_ones_and_not_the_higher()
    {
        var scco3Site = await RegisterSiteHoldingAsync("PL", "SCCO3");
        var scco2Site = await RegisterSiteHoldingAsync("PL", "SCCO2");
        var scco2 = await RegisterAsync(broker, Classified("PL", "SCCO2", storedIn: "PL"));
        var scco4 = await RegisterAsync(broker, Classified("PL", "SCCO4", storedIn: "PL"));

        var lower = await DecideAsync(broker, scco3Site, scco2, _ => { });
        var higher = await DecideAsync(broker, scco2Site, scco4, _ => { });

        lower["allowed"]!.GetValue<bool>().ShouldBeTrue(lower.ToJsonString());
        Types(lower, "obligations").ShouldContain("keep-on-site");
        higher["allowed"]!.GetValue<bool>().ShouldBeFalse();
        Rules(higher).ShouldBe(["national-residency"]);
        Messages(higher).ShouldContain(m => m.Contains("is not registered to hold it", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Estonian_high_level_data_may_be_copied_to_the_data_embassy_but_not_elsewhere_in_Luxembourg()
    {
        var atEmbassy = Classified("EE", "E-ITS-H", storedIn: "LU");
        atEmbassy["sovereignty"]!["storage"]!["site"] = "lu-ee-data-embassy";
        var inLuxembourg = Classified("EE", "E-ITS-H", storedIn: "LU");

        var allowed = await DecideAsync(broker, _eeSite, await RegisterAsync(broker, atEmbassy), _ => { });
        var denied = await DecideAsync(broker, _eeSite, await RegisterAsync(broker, inLuxembourg), _ => { });

        allowed["allowed"]!.GetValue<bool>().ShouldBeTrue(allowed.ToJsonString());
        denied["allowed"]!.GetValue<bool>().ShouldBeFalse();
        Rules(denied).ShouldBe(["national-residency"]);
        Messages(denied).ShouldContain(m => m.Contains("stored in LU", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Data_whose_owner_asked_for_national_residency_are_not_trained_at_their_own_data_embassy()
    {
        var terms = Documented("Estonian registry documents, national residency", "EE");
        terms["sovereignty"]!["residency"] = "national";
        var dataset = await RegisterAsync(broker, terms);

        var home = await DecideAsync(broker, _eeSite, dataset, _ => { });
        var embassy = await DecideAsync(broker, _embassy, dataset, _ => { });

        home["allowed"]!.GetValue<bool>().ShouldBeTrue(home.ToJsonString());
        embassy["allowed"]!.GetValue<bool>().ShouldBeFalse();
        Rules(embassy).ShouldBe(["residency-constraint"]);
        Messages(embassy).ShouldContain(m => m.Contains("the data embassy of EE counts as national for storage, not for training", StringComparison.Ordinal));
    }

    private Task<Guid> RegisterSiteHoldingAsync(string country, params string[] securityClasses)
    {
        var site = Site(Code(country.ToLowerInvariant()), country);
        site["securityClasses"] = new JsonArray(securityClasses.Select(c => (JsonNode)c).ToArray());
        return RegisterSiteAsync(broker, site);
    }

    private static string Code(string prefix) => $"{prefix}-nat-{Guid.NewGuid():N}"[..20];

    private static JsonObject Classified(string country, string securityClass, string storedIn)
    {
        var terms = Documented($"{securityClass} registry extract", country);
        terms["sovereignty"]!["storage"] = new JsonObject { ["country"] = storedIn };
        terms["sector"] = new JsonObject { ["publicSector"] = true, ["securityClass"] = new JsonObject { ["country"] = country, ["class"] = securityClass } };
        return terms;
    }
}
