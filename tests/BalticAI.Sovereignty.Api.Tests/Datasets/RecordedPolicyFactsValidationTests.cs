using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Decisions;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Api.Tests.Platform;

namespace BalticAI.Sovereignty.Api.Tests.Datasets;

/// <summary>
/// How data subjects, DGA protection grounds, re-use conditions and a job's high-risk system are checked:
/// structure against the schema (400), content against reference data and the other facts (422), as
/// every other field is; a refusal writes nothing.
/// </summary>
public sealed class RecordedPolicyFactsValidationTests(BrokerFactory broker) : IClassFixture<BrokerFactory>
{
    private HttpClient Owner => broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner);

    public static TheoryData<string, string> StructureViolations => new()
    {
        { "/personalData/dataSubjects", "negativeSubjects" },
        { "/personalData/dataSubjects", "fractionalSubjects" },
        { "/sector/protectedCategories/0", "unknownCategory" },
        { "/use/reuseConditions/reference", "noReference" },
        { "/use/reuseConditions/secureProcessingEnvironment", "textFlag" },
    };

    [Theory]
    [MemberData(nameof(StructureViolations))]
    public async Task Malformed_facts_are_400_naming_the_field_and_nothing_is_written(string field, string change)
    {
        var terms = PublicPersonal();
        switch (change)
        {
            case "negativeSubjects": terms["personalData"]!["dataSubjects"] = -1; break;
            case "fractionalSubjects": terms["personalData"]!["dataSubjects"] = 2.5; break;
            case "unknownCategory": terms["sector"]!["protectedCategories"] = new JsonArray("state-secrets"); break;
            case "noReference": terms["use"]!["reuseConditions"]!.AsObject().Remove("reference"); break;
            case "textFlag": terms["use"]!["reuseConditions"]!["secureProcessingEnvironment"] = "yes"; break;
        }
        var before = await broker.CountWritesAsync();

        var problem = await ProblemAndOpenApiTests.ShouldBeProblemAsync(await Owner.PostJsonAsync("/datasets", terms), HttpStatusCode.BadRequest);

        problem["errors"]!.AsObject().Select(e => e.Key).ShouldContain(field);
        (await broker.CountWritesAsync()).ShouldBe(before);
    }

    public static TheoryData<string, string> ContentViolations => new()
    {
        { "/use/reuseConditions/allowedCountries/1", "unknownCountry" },
        { "/sector/protectedCategories", "notPublicSector" },
        { "/use/reuseConditions", "notPublicSector" },
        { "/personalData/dataSubjects", "noPersonalData" },
    };

    [Theory]
    [MemberData(nameof(ContentViolations))]
    public async Task Inconsistent_facts_are_422_naming_the_field_and_nothing_is_written(string field, string change)
    {
        var terms = PublicPersonal();
        switch (change)
        {
            case "unknownCountry": terms["use"]!["reuseConditions"]!["allowedCountries"] = new JsonArray("PL", "XX"); break;
            case "notPublicSector": terms["sector"]!["publicSector"] = false; break;
            case "noPersonalData": terms["personalData"] = new JsonObject { ["containsPersonalData"] = false, ["dataSubjects"] = 10 }; terms["sector"]!["protectedCategories"] = new JsonArray(); break;
        }
        var before = await broker.CountWritesAsync();

        var problem = await ProblemAndOpenApiTests.ShouldBeProblemAsync(await Owner.PostJsonAsync("/datasets", terms), HttpStatusCode.UnprocessableEntity);

        problem["errors"]![field]!.AsArray().ShouldNotBeEmpty();
        (await broker.CountWritesAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task Registered_facts_are_read_back_and_an_amendment_records_and_checks_them()
    {
        var (id, etag) = await Owner.RegisterAsync(PublicPersonal());
        var read = await DatasetApi.ReadJsonAsync(await Owner.GetAsync($"/datasets/{id}"));
        read["terms"]!["personalData"]!["dataSubjects"]!.GetValue<long>().ShouldBe(250_000);
        read["terms"]!["sector"]!["protectedCategories"]![0]!.GetValue<string>().ShouldBe("personal-data");
        read["terms"]!["use"]!["reuseConditions"]!["allowedCountries"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe(["PL", "LT"]);

        var refused = await Owner.PatchTermsAsync(id, JsonNode.Parse("""{"use": {"reuseConditions": {"allowedCountries": ["ZZ"]}}}""")!, etag);
        var problem = await ProblemAndOpenApiTests.ShouldBeProblemAsync(refused, HttpStatusCode.UnprocessableEntity);
        problem["errors"]!["/use/reuseConditions/allowedCountries/0"]!.AsArray().ShouldNotBeEmpty();

        var amended = await Owner.PatchTermsAsync(id, JsonNode.Parse("""
            {"personalData": {"dataSubjects": 90000},
             "sector": {"protectedCategories": ["personal-data", "commercial-confidentiality"]},
             "use": {"reuseConditions": {"secureProcessingEnvironment": true, "allowedCountries": ["LV"]}}}
            """)!, etag);
        var body = await DatasetApi.ReadJsonAsync(amended);
        amended.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToJsonString());
        body["terms"]!["personalData"]!["dataSubjects"]!.GetValue<long>().ShouldBe(90_000);
        body["terms"]!["sector"]!["protectedCategories"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe(["personal-data", "commercial-confidentiality"]);
        var conditions = body["terms"]!["use"]!["reuseConditions"]!;
        conditions["reference"]!.GetValue<string>().ShouldBe("urn:pl-mc:reuse-conditions:2026-02");
        conditions["secureProcessingEnvironment"]!.GetValue<bool>().ShouldBeTrue();
        conditions["allowedCountries"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe(["LV"]);

        var removed = await Owner.PatchTermsAsync(id, JsonNode.Parse("""{"use": {"reuseConditions": null}}""")!, amended.Headers.ETag!.ToString());
        (await DatasetApi.ReadJsonAsync(removed))["terms"]!["use"]!["reuseConditions"].ShouldBeNull();
    }

    [Fact]
    public async Task A_job_states_its_high_risk_system_as_a_boolean_and_leaving_it_out_means_false()
    {
        var site = await DecisionWorld.RegisterSiteAsync(broker, $"pl-hrs-{Guid.NewGuid():N}"[..20], "PL");
        var trainer = broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem);
        var job = DecisionWorld.Job(site, commercial: false);
        job["highRiskSystem"] = "yes";

        var problem = await ProblemAndOpenApiTests.ShouldBeProblemAsync(await trainer.PostJsonAsync("/training-jobs", job), HttpStatusCode.BadRequest);
        job.Remove("highRiskSystem");
        var registered = await DatasetApi.ReadJsonAsync(await trainer.PostJsonAsync("/training-jobs", job));
        var read = await DatasetApi.ReadJsonAsync(await trainer.GetAsync($"/training-jobs/{registered["id"]!.GetValue<string>()}"));

        problem["errors"]!["/highRiskSystem"]!.AsArray().ShouldNotBeEmpty();
        registered["highRiskSystem"]!.GetValue<bool>().ShouldBeFalse();
        read["highRiskSystem"]!.GetValue<bool>().ShouldBeFalse();
    }

    /// <summary>Public-sector personal data with every new fact recorded and valid; tests break one thing at a time.</summary>
    private static JsonObject PublicPersonal()
    {
        var terms = DatasetApi.Terms($"Municipal case files {Guid.NewGuid():N}");
        terms["personalData"] = new JsonObject { ["containsPersonalData"] = true, ["lawfulBasis"] = "public-task", ["originalPurpose"] = "research", ["dataSubjects"] = 250_000 };
        terms["sector"] = new JsonObject { ["publicSector"] = true, ["protectedCategories"] = new JsonArray("personal-data") };
        terms["use"] = new JsonObject
        {
            ["reuseConditions"] = new JsonObject { ["reference"] = "urn:pl-mc:reuse-conditions:2026-02", ["allowedCountries"] = new JsonArray("PL", "LT") },
        };
        return terms;
    }
}
