using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Api.TrainingJobs;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Decisions.ShippedBundleApi;

namespace BalticAI.Sovereignty.Api.Tests.Decisions;

/// <summary>
/// Facts the shipped rules read that the API once had no way to record: a job's high-risk system (AI Act
/// Art. 10(5)), the number of data subjects (DPIA threshold) and public-sector protection grounds with the
/// holder's re-use conditions (DGA Art. 5). Registered through the API, decided by the shipped bundle.
/// </summary>
public sealed class RecordedPolicyFactsTests(BrokerFactory broker) : IClassFixture<BrokerFactory>, IAsyncLifetime
{
    private const string Conditions = "urn:pl-mc:reuse-conditions:2026-01";
    private Guid _site;

    public async Task InitializeAsync()
    {
        await WaitForShippedBundleAsync(broker);
        _site = await RegisterSiteAsync(broker, $"pl-fact-{Guid.NewGuid():N}"[..20], "PL");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Bias_testing_for_a_high_risk_system_reaches_pseudonymised_special_categories_under_obligations()
    {
        var dataset = await RegisterAsync(broker, SpecialCategories());

        var decision = await DecideAsync(broker, dataset, BiasTesting(highRiskSystem: true));

        decision["allowed"]!.GetValue<bool>().ShouldBeTrue(decision.ToJsonString());
        Types(decision, "obligations").ShouldBe(["delete-after-days", "keep-on-site", "pseudonymise", "record-decision"]);
        Obligation(decision, "pseudonymise")["method"]!.GetValue<string>().ShouldBe("keyed hashing of applicant ids");
        Obligation(decision, "keep-on-site")["site"]!.GetValue<string>().ShouldBe(_site.ToString());
        Obligation(decision, "delete-after-days")["days"]!.GetValue<int>().ShouldBe(30);
    }

    [Fact]
    public async Task Bias_testing_for_a_system_that_is_not_high_risk_is_refused_special_categories()
    {
        var dataset = await RegisterAsync(broker, SpecialCategories());

        var decision = await DecideAsync(broker, dataset, BiasTesting(highRiskSystem: false));

        decision["allowed"]!.GetValue<bool>().ShouldBeFalse();
        Rules(decision).ShouldBe(["special-categories"]);
    }

    [Theory]
    [InlineData(2_000_000, false)]
    [InlineData(50, true)]
    public async Task Personal_data_about_many_people_need_a_DPIA_and_few_do_not(int dataSubjects, bool allowed)
    {
        var terms = Personal("Citizens' service requests");
        terms["personalData"]!["dataSubjects"] = dataSubjects;
        var dataset = await RegisterAsync(broker, terms);

        var decision = await DecideAsync(broker, dataset, Job(_site, commercial: false));

        string[] refusedBy = allowed ? [] : ["dpia-required"];
        decision["allowed"]!.GetValue<bool>().ShouldBe(allowed, decision.ToJsonString());
        Rules(decision).ShouldBe(refusedBy);
    }

    [Fact]
    public async Task Public_sector_personal_data_go_to_a_job_under_the_holders_recorded_reuse_conditions()
    {
        var dataset = await RegisterAsync(broker, PublicSector(new JsonObject
        {
            ["reference"] = Conditions,
            ["permittedPurposes"] = new JsonArray("research"),
            ["allowedCountries"] = new JsonArray("PL", "LT"),
        }));

        var decision = await DecideAsync(broker, dataset, Job(_site, commercial: false));

        decision["allowed"]!.GetValue<bool>().ShouldBeTrue(decision.ToJsonString());
        Obligation(decision, "follow-reuse-conditions")["reference"]!.GetValue<string>().ShouldBe(Conditions);
    }

    [Fact]
    public async Task Public_sector_personal_data_without_reuse_conditions_are_refused()
    {
        var dataset = await RegisterAsync(broker, PublicSector(conditions: null));

        var decision = await DecideAsync(broker, dataset, Job(_site, commercial: false));

        decision["allowed"]!.GetValue<bool>().ShouldBeFalse();
        Rules(decision).ShouldBe(["public-sector-conditions"]);
        Messages(decision).ShouldContain(m => m.Contains("re-use conditions are not recorded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reuse_conditions_that_do_not_allow_the_sites_country_refuse_the_job()
    {
        var dataset = await RegisterAsync(broker, PublicSector(new JsonObject { ["reference"] = Conditions, ["allowedCountries"] = new JsonArray("LT", "LV") }));

        var decision = await DecideAsync(broker, dataset, Job(_site, commercial: false));

        decision["allowed"]!.GetValue<bool>().ShouldBeFalse();
        Rules(decision).ShouldBe(["public-sector-conditions"]);
        Messages(decision).ShouldContain(m => m.Contains("do not allow processing in PL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Protected_public_sector_data_without_personal_data_follow_reuse_conditions_too()
    {
        var terms = Documented("Business register statistics");
        terms["sector"] = new JsonObject { ["publicSector"] = true, ["protectedCategories"] = new JsonArray("statistical-confidentiality") };
        var dataset = await RegisterAsync(broker, terms);

        var decision = await DecideAsync(broker, dataset, Job(_site, commercial: false));

        Rules(decision).ShouldBe(["public-sector-conditions"]);
    }

    [Fact]
    public async Task The_recorded_input_carries_the_new_facts_and_follows_the_published_input_schema()
    {
        var terms = PublicSector(new JsonObject { ["reference"] = Conditions, ["secureProcessingEnvironment"] = true });
        terms["personalData"]!["dataSubjects"] = 1234;
        terms["sector"]!["protectedCategories"] = new JsonArray("personal-data", "third-party-ip");
        var withConditions = await DecideAsync(broker, await RegisterAsync(broker, terms), BiasTesting(highRiskSystem: true));
        var without = await DecideAsync(broker, await RegisterAsync(broker, Personal("Without conditions")), Job(_site, commercial: false));
        // A registry of its own: AccessDecisionTests builds the same schema id into the global one.
        var schema = Json.Schema.JsonSchema.FromText(await File.ReadAllTextAsync(Policies.RepositoryFiles.Path("schemas", "policy-input.schema.json")),
            new Json.Schema.BuildOptions { SchemaRegistry = new Json.Schema.SchemaRegistry() });

        var input = await RecordedInputAsync(withConditions);
        var plain = await RecordedInputAsync(without);

        input["job"]!["highRiskSystem"]!.GetValue<bool>().ShouldBeTrue();
        input["dataset"]!["personalData"]!["dataSubjects"]!.GetValue<long>().ShouldBe(1234);
        input["dataset"]!["sector"]!["protectedCategories"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe(["personal-data", "third-party-ip"]);
        var conditions = input["dataset"]!["terms"]!["reuseConditions"]!;
        conditions["reference"]!.GetValue<string>().ShouldBe(Conditions);
        conditions["secureProcessingEnvironment"]!.GetValue<bool>().ShouldBeTrue();
        conditions["allowedCountries"]!.AsArray().ShouldBeEmpty();
        plain["job"]!["highRiskSystem"]!.GetValue<bool>().ShouldBeFalse();
        plain["dataset"]!["terms"]!.AsObject().ContainsKey("reuseConditions").ShouldBeFalse();
        foreach (var recorded in new[] { input, plain })
        {
            var result = schema.Evaluate(System.Text.Json.JsonSerializer.SerializeToElement(recorded), new Json.Schema.EvaluationOptions { OutputFormat = Json.Schema.OutputFormat.List });
            result.IsValid.ShouldBeTrue(string.Join("; ", (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
        }
    }

    [Fact]
    public async Task A_job_recorded_before_high_risk_systems_existed_reads_as_not_high_risk()
    {
        var trainer = broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem);
        var registered = await trainer.PostJsonAsync("/training-jobs", BiasTesting(highRiskSystem: true));
        var body = await DatasetApi.ReadJsonAsync(registered);
        registered.StatusCode.ShouldBe(HttpStatusCode.Created, body.ToJsonString());
        body["highRiskSystem"]!.GetValue<bool>().ShouldBeTrue();
        var job = Guid.Parse(body["id"]!.GetValue<string>());

        // The shape events and snapshots had before the member was added: no HighRiskSystem at all.
        await using (var connection = new NpgsqlConnection(TestServices.PostgresConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                $"update {broker.Schema}.mt_events set data = data - 'HighRiskSystem' where stream_id = @job; " +
                $"update {broker.Schema}.mt_doc_trainingjob set data = data - 'HighRiskSystem' where id = @job", connection);
            command.Parameters.AddWithValue("job", job);
            (await command.ExecuteNonQueryAsync()).ShouldBe(2);
        }
        await using var session = broker.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var events = await session.Events.FetchStreamAsync(job);
        var read = await DatasetApi.ReadJsonAsync(await trainer.GetAsync($"/training-jobs/{job}"));

        events.Select(e => e.Data).OfType<TrainingJobRegistered>().Single().HighRiskSystem.ShouldBeFalse();
        read["highRiskSystem"]!.GetValue<bool>().ShouldBeFalse();
        read["purpose"]!.GetValue<string>().ShouldBe("bias-testing");
    }

    private JsonObject BiasTesting(bool highRiskSystem)
    {
        var job = Job(_site, commercial: false);
        job["purpose"] = "bias-testing";
        job["highRiskSystem"] = highRiskSystem;
        return job;
    }

    /// <summary>Pseudonymised ethnic-origin data with a DPIA (special categories always need one) and no Art. 9 exception.</summary>
    private static JsonObject SpecialCategories()
    {
        var terms = Documented("Recruitment outcomes by ethnic origin");
        terms["personalData"] = new JsonObject
        {
            ["containsPersonalData"] = true,
            ["specialCategories"] = new JsonArray("racial-or-ethnic-origin"),
            ["lawfulBasis"] = "legitimate-interests",
            ["originalPurpose"] = "Recruitment",
            ["pseudonymisationMethod"] = "keyed hashing of applicant ids",
        };
        terms["evidence"] = new JsonObject
        {
            ["dpia"] = new JsonObject { ["reference"] = "urn:pl-mc:dpia:bias-2026" },
            ["purposeCompatibility"] = new JsonObject { ["reference"] = "urn:pl-mc:art6-4:bias-2026" },
        };
        return terms;
    }

    /// <summary>Personal data collected for research, so a research job meets purpose limitation.</summary>
    private static JsonObject Personal(string title)
    {
        var terms = Documented(title);
        terms["personalData"] = new JsonObject { ["containsPersonalData"] = true, ["lawfulBasis"] = "public-task", ["originalPurpose"] = "research" };
        return terms;
    }

    private static JsonObject PublicSector(JsonObject? conditions)
    {
        var terms = Personal("Municipal case files");
        terms["sector"] = new JsonObject { ["publicSector"] = true, ["protectedCategories"] = new JsonArray("personal-data") };
        terms["use"] = new JsonObject { ["reuseConditions"] = conditions };
        return terms;
    }

    private async Task<JsonNode> RecordedInputAsync(JsonNode decision)
    {
        await using var session = broker.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var recorded = await session.Events.LoadAsync(Guid.Parse(decision["decisionId"]!.GetValue<string>()));
        recorded.ShouldNotBeNull();
        return System.Text.Json.JsonSerializer.SerializeToNode(recorded.Data)!["Input"]!;
    }

    private static JsonNode Obligation(JsonNode decision, string type) =>
        decision["obligations"]!.AsArray().Single(o => o!["type"]!.GetValue<string>() == type)!;
}
