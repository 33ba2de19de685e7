using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Decisions.ShippedBundleApi;

namespace BalticAI.Sovereignty.Api.Tests.Decisions;

/// <summary>
/// The shipped rules on terms as the API records them: dates, national security classes, storage, licences,
/// copyright bases, purposes and lineage reach the policy in the form the rules read, so each rule can both
/// allow and deny through the broker (each of these once denied or allowed everything on this path).
/// </summary>
public sealed class ShippedBundleRecordedTermsTests(BrokerFactory broker) : IClassFixture<BrokerFactory>, IAsyncLifetime
{
    private Guid _plSite;
    private Guid _ltSite;
    private Guid _ltSiteWithoutClasses;
    private Guid _spe;

    public async Task InitializeAsync()
    {
        await WaitForShippedBundleAsync(broker);
        _plSite = await RegisterSiteAsync(broker, Code("pl"), "PL");
        _ltSite = await RegisterSiteHoldingAsync("LT", "LT-STATE-INFO", "LT-CRITICAL");
        _ltSiteWithoutClasses = await RegisterSiteAsync(broker, Code("lt"), "LT");
        _spe = await RegisterSiteAsync(broker, Code("spe"), "PL", "secure-processing-environment");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Terms_that_last_beyond_the_job_allow_and_terms_ending_before_it_deny()
    {
        var lasting = Documented("Terms until 2031");
        lasting["use"] = new JsonObject { ["expires"] = "2031-06-30" };
        var ending = Documented("Terms until 2029");
        ending["use"] = new JsonObject { ["expires"] = "2029-06-30" };

        var allowed = await DecideAsync(broker, _plSite, await RegisterAsync(broker, lasting), _ => { });
        var denied = await DecideAsync(broker, _plSite, await RegisterAsync(broker, ending), _ => { });

        allowed["allowed"]!.GetValue<bool>().ShouldBeTrue(allowed.ToJsonString());
        denied["allowed"]!.GetValue<bool>().ShouldBeFalse();
        Rules(denied).ShouldBe(["usage-terms"]);
        Messages(denied).ShouldContain(m => m.Contains("before the job's planned end", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Lithuanian_critical_state_data_go_to_a_Lithuanian_site_only()
    {
        var critical = await RegisterAsync(broker, Classified("LT", "LT-CRITICAL", storedIn: "LT"));

        var home = await DecideAsync(broker, _ltSite, critical, _ => { });
        var abroad = await DecideAsync(broker, _plSite, critical, _ => { });
        var unregistered = await DecideAsync(broker, _ltSiteWithoutClasses, critical, _ => { });

        home["allowed"]!.GetValue<bool>().ShouldBeTrue(home.ToJsonString());
        home["obligations"]!.AsArray().ShouldContain(o => o!["type"]!.GetValue<string>() == "keep-on-site"
            && o["foreignCopies"]!.GetValue<string>() == "encrypted-backup-only");
        abroad["allowed"]!.GetValue<bool>().ShouldBeFalse();
        Rules(abroad).ShouldBe(["national-residency"]);
        Messages(abroad).ShouldContain(m => m.Contains("encrypted backups only", StringComparison.Ordinal));
        Rules(unregistered).ShouldBe(["national-residency"]);
        Messages(unregistered).ShouldContain(m => m.Contains("is not registered to hold it", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Lithuanian_critical_state_data_stored_outside_the_EU_EEA_and_NATO_are_refused_even_at_home()
    {
        var copied = await RegisterAsync(broker, Classified("LT", "LT-CRITICAL", storedIn: "DE"));
        var offshore = await RegisterAsync(broker, Classified("LT", "LT-CRITICAL", storedIn: "SG"));

        var allowed = await DecideAsync(broker, _ltSite, copied, _ => { });
        var denied = await DecideAsync(broker, _ltSite, offshore, _ => { });

        allowed["allowed"]!.GetValue<bool>().ShouldBeTrue(allowed.ToJsonString());
        denied["allowed"]!.GetValue<bool>().ShouldBeFalse();
        Messages(denied).ShouldContain(m => m.Contains("stored in SG", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Estonian_data_below_the_high_level_may_leave_Estonia()
    {
        var medium = await RegisterAsync(broker, Classified("EE", "E-ITS-M", storedIn: "EE"));
        var high = await RegisterAsync(broker, Classified("EE", "E-ITS-H", storedIn: "EE"));

        var allowed = await DecideAsync(broker, _plSite, medium, _ => { });
        var denied = await DecideAsync(broker, _plSite, high, _ => { });

        allowed["allowed"]!.GetValue<bool>().ShouldBeTrue(allowed.ToJsonString());
        Rules(denied).ShouldBe(["national-residency"]);
    }

    [Fact]
    public async Task A_Llama_based_corpus_keeps_the_Llama_licence_on_the_model()
    {
        var llama = Documented("Llama-generated instructions");
        llama["licensing"] = new JsonObject { ["licence"] = "LicenseRef-Llama-3.1-Community", ["copyrightBasis"] = "licensed" };
        var dataset = await RegisterAsync(broker, llama);

        var kept = await DecideAsync(broker, _plSite, dataset, job => job["model"]!["licence"] = "LicenseRef-Llama-3.1-Community");
        var broader = await DecideAsync(broker, _plSite, dataset, job => job["model"]!["licence"] = "Apache-2.0");

        kept["allowed"]!.GetValue<bool>().ShouldBeTrue(kept.ToJsonString());
        Types(kept, "obligations").ShouldContain("model-licence-at-most");
        broader["allowed"]!.GetValue<bool>().ShouldBeFalse();
        Rules(broader).ShouldBe(["licence-propagation"]);
        Messages(broader).ShouldContain(m => m.Contains("requires derived models to keep it", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Content_gathered_under_the_research_exception_is_research_only_whatever_the_stated_licence()
    {
        var mined = Documented("Mined under DSM Art. 3");
        mined["licensing"] = new JsonObject { ["licence"] = "CC-BY-4.0", ["copyrightBasis"] = "tdm-research-exception" };
        var dataset = await RegisterAsync(broker, mined);

        var commercial = await DecideAsync(broker, _plSite, dataset, job => { job["purpose"] = "commercial"; job["commercial"] = true; });
        var research = await DecideAsync(broker, _plSite, dataset, job => job["model"]!["licence"] = "CC-BY-NC-4.0");

        commercial["allowed"]!.GetValue<bool>().ShouldBeFalse();
        Rules(commercial).ShouldContain("research-only");
        research["allowed"]!.GetValue<bool>().ShouldBeTrue(research.ToJsonString());
        Types(research, "obligations").ShouldContain("model-inherits-non-commercial");
    }

    [Fact]
    public async Task Health_data_with_a_permit_go_to_a_health_research_job_in_a_secure_processing_environment()
    {
        var dataset = await RegisterAsync(broker, HealthTerms());

        var decision = await DecideAsync(broker, _spe, dataset, job => job["purpose"] = "health-research");

        decision["allowed"]!.GetValue<bool>().ShouldBeTrue(decision.ToJsonString());
        Types(decision, "obligations").ShouldContain("pseudonymise");
    }

    // The EHDS purposes beyond research (Art. 53(1)) could not be registered for a job, so health data went to no
    // public-health, statistics or AI-development job however complete its permit was.
    [Theory]
    [InlineData("public-health", false)]
    [InlineData("health-policy", false)]
    [InlineData("official-statistics", false)]
    [InlineData("health-ai-development", true)]
    [InlineData("personalised-healthcare", true)]
    public async Task Health_data_with_a_permit_go_to_a_job_of_every_purpose_the_EHDS_allows(string purpose, bool commercial)
    {
        var terms = HealthTerms();
        terms["evidence"]!["purposeCompatibility"] = Evidence("CA-2026-11");
        var dataset = await RegisterAsync(broker, terms);

        var decision = await DecideAsync(broker, _spe, dataset, job =>
        {
            job["purpose"] = purpose;
            job["commercial"] = commercial;
        });

        decision["allowed"]!.GetValue<bool>().ShouldBeTrue(decision.ToJsonString());
        Types(decision, "obligations").ShouldContain("pseudonymise");
    }

    [Fact]
    public async Task Health_data_with_a_permit_are_refused_to_a_commercial_job_of_no_EHDS_purpose()
    {
        var terms = HealthTerms();
        terms["evidence"]!["purposeCompatibility"] = Evidence("CA-2026-11");
        var dataset = await RegisterAsync(broker, terms);

        var decision = await DecideAsync(broker, _spe, dataset, job =>
        {
            job["purpose"] = "commercial";
            job["commercial"] = true;
        });

        decision["allowed"]!.GetValue<bool>().ShouldBeFalse();
        Rules(decision).ShouldBe(["health-data-permit"]);
        Messages(decision).ShouldContain(m => m.Contains("job purpose commercial is not a purpose the EHDS allows", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_withdrawal_two_generations_up_concerns_the_grandchild()
    {
        var owner = broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner);
        var grandparent = await RegisterAsync(broker, Documented("Grandparent corpus"));
        var parentTerms = Documented("Parent corpus");
        parentTerms["lineage"] = new JsonObject { ["derivedFrom"] = new JsonArray(grandparent.ToString()) };
        var parent = await RegisterAsync(broker, parentTerms);
        var childTerms = Documented("Grandchild corpus");
        childTerms["lineage"] = new JsonObject { ["derivedFrom"] = new JsonArray(parent.ToString()) };
        var child = await RegisterAsync(broker, childTerms);
        var before = await DecideAsync(broker, _plSite, child, _ => { });

        var current = await owner.GetAsync($"/datasets/{grandparent}");
        var withdrawn = await owner.PostJsonAsync($"/datasets/{grandparent}/withdrawal", new JsonObject { ["reason"] = "consent-withdrawn" }, current.Headers.ETag!.ToString());
        withdrawn.StatusCode.ShouldBe(HttpStatusCode.OK, await withdrawn.Content.ReadAsStringAsync());
        var after = await DecideAsync(broker, _plSite, child, _ => { });

        before["allowed"]!.GetValue<bool>().ShouldBeTrue(before.ToJsonString());
        after["allowed"]!.GetValue<bool>().ShouldBeFalse();
        Rules(after).ShouldBe(["withdrawn-dataset"]);
        Messages(after).ShouldContain(m => m.Contains(grandparent.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_withdrawn_source_version_denies_the_versions_made_from_it_and_allows_those_made_from_another()
    {
        var owner = broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner);
        var source = await RegisterAsync(broker, Documented("Source corpus"));
        var second = await owner.PostJsonAsync($"/datasets/{source}/versions", DatasetApi.Version(DatasetApi.Digest2), (await owner.GetAsync($"/datasets/{source}")).Headers.ETag!.ToString());
        second.StatusCode.ShouldBe(HttpStatusCode.Created, await second.Content.ReadAsStringAsync());
        var namedTerms = Documented("Copy made from version 1");
        namedTerms["lineage"] = new JsonObject { ["derivedFrom"] = new JsonArray(source.ToString()) };
        var (named, etag) = await owner.RegisterAsync(namedTerms);
        var made = DatasetApi.Version();
        made["derivedFrom"] = new JsonArray(new JsonObject { ["datasetId"] = source.ToString(), ["version"] = 1 });
        (await owner.PostJsonAsync($"/datasets/{named}/versions", made, etag)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var unnamedTerms = Documented("Copy that names no source version");
        unnamedTerms["lineage"] = new JsonObject { ["derivedFrom"] = new JsonArray(source.ToString()) };
        var unnamed = await RegisterAsync(broker, unnamedTerms);

        var current = await owner.GetAsync($"/datasets/{source}");
        var withdrawn = await owner.PostJsonAsync($"/datasets/{source}/versions/2/withdrawal", new JsonObject { ["reason"] = "erasure-request" }, current.Headers.ETag!.ToString());
        withdrawn.StatusCode.ShouldBe(HttpStatusCode.OK, await withdrawn.Content.ReadAsStringAsync());
        var allowed = await DecideAsync(broker, _plSite, named, _ => { });
        var denied = await DecideAsync(broker, _plSite, unnamed, _ => { });

        allowed["allowed"]!.GetValue<bool>().ShouldBeTrue(allowed.ToJsonString());
        denied["allowed"]!.GetValue<bool>().ShouldBeFalse();
        Rules(denied).ShouldBe(["withdrawn-dataset"]);
        Messages(denied).ShouldContain(m => m.Contains($"derives from {source}@2, which has status withdrawn", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_EU_EEA_NATO_residency_allows_a_NATO_site_outside_the_EEA_and_refuses_other_third_countries()
    {
        var terms = Documented("Transcripts kept within EU, EEA and NATO");
        terms["sovereignty"]!["residency"] = "eu-eea-nato";
        var dataset = await RegisterAsync(broker, terms);
        var nato = await RegisterSiteAsync(broker, Code("gb"), "GB");
        var other = await RegisterSiteAsync(broker, Code("ch"), "CH");

        var allowed = await DecideAsync(broker, nato, dataset, _ => { });
        var denied = await DecideAsync(broker, other, dataset, _ => { });

        allowed["allowed"]!.GetValue<bool>().ShouldBeTrue(allowed.ToJsonString());
        denied["allowed"]!.GetValue<bool>().ShouldBeFalse();
        Rules(denied).ShouldBe(["residency-constraint"]);
        Messages(denied).ShouldContain(m => m.Contains("residency constraint eu-eea-nato", StringComparison.Ordinal));
    }

    private Task<Guid> RegisterSiteHoldingAsync(string country, params string[] securityClasses)
    {
        var site = Site(Code(country.ToLowerInvariant()), country);
        site["securityClasses"] = new JsonArray(securityClasses.Select(c => (JsonNode)c).ToArray());
        return RegisterSiteAsync(broker, site);
    }

    private static string Code(string prefix) => $"{prefix}-terms-{Guid.NewGuid():N}"[..20];

    private static JsonObject Classified(string country, string securityClass, string storedIn)
    {
        var terms = Documented($"{securityClass} registry extract", country);
        terms["sovereignty"]!["storage"] = new JsonObject { ["country"] = storedIn };
        terms["sector"] = new JsonObject { ["publicSector"] = true, ["securityClass"] = new JsonObject { ["country"] = country, ["class"] = securityClass } };
        return terms;
    }
}
