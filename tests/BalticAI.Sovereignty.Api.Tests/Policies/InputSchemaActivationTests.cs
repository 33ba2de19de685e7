using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Policies.ActivatingBundle;
using BalticAI.Sovereignty.Api.Policies.Bundles;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Platform.ProblemAndOpenApiTests;

namespace BalticAI.Sovereignty.Api.Tests.Policies;

/// <summary>
/// Activation compiles a bundle against the schema of the input the broker builds (schemas/policy-input.schema.json):
/// a rule reading a key the broker never sends never holds, so a deny rule with a typo would never deny. METADATA
/// blocks are read as OPA reads them: the shipped balticai.rego's `schemas` type the data documents, the data are held to
/// them, and a block OPA would refuse is refused here too, whichever engine decides.
/// </summary>
public sealed class InputSchemaActivationTests(BrokerFactory broker, OpaBrokerFactory opaBroker)
    : IClassFixture<BrokerFactory>, IClassFixture<OpaBrokerFactory>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await WaitForShippedBundleAsync(broker);
        await opaBroker.WaitUntilActiveAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_rule_reading_a_key_the_input_never_has_is_422_naming_it_and_the_key_it_meant_and_records_nothing()
    {
        const string Typo = "package balticai.extra\n\ndeny contains \"proprietary\" if input.dataset.licencing.licence == \"proprietary\"\n";

        var problems = await RefusedByBothEnginesAsync(
            () => BundleWith("schema-typo", ("extra/typo.rego", Typo)),
            "extra/typo.rego:3: rego_type_error: undefined ref: input.dataset.licencing (did you mean input.dataset.licensing?)");

        problems.ShouldAllBe(p => p["detail"]!.GetValue<string>().Contains("does not compile"));
        opaBroker.Opa.Store.Modules.Keys.ShouldNotContain("extra/typo.rego");
    }

    [Fact]
    public async Task A_constant_path_a_helper_reads_with_object_get_is_checked_where_the_helper_is_called()
    {
        const string Typo = "package balticai.extra\n\nget(path) := object.get(input.dataset, path, null)\n\nsensitive if get([\"personalData\", \"specialCategory\"]) != null\n";

        var response = await ActivateWithModuleAsync(broker, "schema-helper-typo", "extra/helper.rego", Typo);

        var problem = await ShouldBeProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        var error = problem["errors"]!["modules"]!.AsArray().Single()!.GetValue<string>();
        error.ShouldBe("extra/helper.rego:5: rego_type_error: get([\"personalData\", \"specialCategory\"]): object.get: input.dataset.personalData.specialCategory is never there, so the call always gives its default (did you mean input.dataset.personalData.specialCategories?)");
    }

    [Fact]
    public async Task A_rule_reading_keys_the_input_has_activates()
    {
        const string Reads = "package balticai.extra\n\nget(path) := object.get(input.dataset, path, null)\n\nlicence := input.dataset.licensing.licence\n\nsensitive if get([\"personalData\", \"specialCategories\"]) != []\n";

        var response = await ActivateWithModuleAsync(broker, "schema-reads", "extra/reads.rego", Reads);

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_setting_the_shipped_data_schema_lacks_is_422_naming_it_and_the_setting_it_meant()
    {
        const string Typo = "package balticai.extra\n\nimport data.balticai.lib\n\ncommercial if lib.job.purpose in lib.settings.comercialPurposes\n";
        var shipped = PolicyBundleLoader.Load(ShippedPolicies());
        var body = new ActivateBundleEndpoint.ActivateBundle(
            "shipped-with-typo", [.. shipped.Modules, new BundleModule("extra/settings.rego", Typo)], shipped.Data[PolicyBundleLoader.DataRoot]!.AsObject());

        var response = await broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin).PostAsJsonAsync("/policies/bundles", body);

        var problem = await ShouldBeProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        problem["errors"]!["modules"]!.AsArray().Single()!.GetValue<string>().ShouldBe(
            "extra/settings.rego:5: rego_type_error: undefined ref: data.balticai.lib.settings.comercialPurposes (did you mean data.balticai.lib.settings.commercialPurposes?)");
    }

    [Fact]
    public async Task A_METADATA_block_OPA_would_refuse_is_422_on_both_engines_and_nothing_reaches_OPA()
    {
        await RefusedByBothEnginesAsync(
            () => BundleWith(
                "metadata-redeclared",
                ("extra/one.rego", "# METADATA\n# title: One\npackage balticai.extra\n\none := true\n"),
                ("extra/two.rego", "# METADATA\n# title: Two\npackage balticai.extra\n\ntwo := true\n")),
            "extra/two.rego:1: rego_type_error: package annotation redeclared: extra/one.rego:1");

        opaBroker.Opa.Store.Modules.Keys.ShouldNotContain("extra/one.rego");
    }

    [Fact]
    public async Task Data_that_stray_from_the_schema_a_block_declares_for_them_are_422_on_both_engines_naming_the_place()
    {
        const string Declares = "# METADATA\n# schemas:\n#   - data.balticai.allowedCountries: {type: array, items: {type: string, pattern: \"^[A-Z]{2}$\"}}\npackage balticai.extra\n\nknown(c) if c in data.balticai.allowedCountries\n";
        var problems = await RefusedByBothEnginesAsync(
            () =>
            {
                var bundle = BundleWith("data-strays", ("extra/declares.rego", Declares));
                bundle["data"]!["allowedCountries"] = new JsonArray("PL", "Estonia", "LT");
                return bundle;
            },
            "data.balticai.allowedCountries/1: must match ^[A-Z]{2}$ (the schema extra/declares.rego:1 declares for data.balticai.allowedCountries)");

        problems.ShouldAllBe(p => p["detail"]!.GetValue<string>() == "a data document does not match the schema the bundle's METADATA declares for it");
    }

    [Theory]
    [InlineData("{type: 5}")]
    [InlineData("{$ref: \"https://schemas.example.eu/countries.json\"}")]
    public async Task A_declared_schema_that_cannot_be_evaluated_is_422_naming_it_and_not_a_server_error(string definition)
    {
        var declares = $"# METADATA\n# schemas:\n#   - data.balticai.allowedCountries: {definition}\npackage balticai.extra\n\nknown(c) if c in data.balticai.allowedCountries\n";

        var response = await ActivateWithModuleAsync(broker, "schema-unreadable", "extra/declares.rego", declares);

        var problem = await ShouldBeProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        problem["errors"]!["modules"]!.AsArray().Single()!.GetValue<string>()
            .ShouldStartWith("the schema extra/declares.rego:1 declares for data.balticai.allowedCountries cannot be evaluated: ");
    }

    [Fact]
    public async Task METADATA_may_name_the_broker_input_schema_as_schema_input_and_no_other()
    {
        const string Named = "package balticai.extra\n\n# METADATA\n# schemas:\n#   - input: schema.input\nlicence := input.dataset.licensing.licence\n";
        const string Unknown = "package balticai.extra\n\n# METADATA\n# schemas:\n#   - input: schema.broker\nlicence := input.dataset.licensing.licence\n";

        var named = await ActivateWithModuleAsync(broker, "schema-named", "extra/named.rego", Named);
        var unknown = await ActivateWithModuleAsync(broker, "schema-unknown", "extra/unknown.rego", Unknown);

        named.StatusCode.ShouldBe(HttpStatusCode.Created, await named.Content.ReadAsStringAsync());
        var problem = await ShouldBeProblemAsync(unknown, HttpStatusCode.UnprocessableEntity);
        problem["errors"]!["modules"]!.AsArray().Single()!.GetValue<string>().ShouldBe("extra/unknown.rego:3: rego_type_error: undefined schema: schema.broker");
    }

    /// <summary>
    /// Posts the bundle <paramref name="bundle"/> builds to the embedded and the OPA broker, as a PolicyAdmin: each answers
    /// 422 naming exactly <paramref name="errors"/> and records no activation.
    /// </summary>
    private async Task<List<JsonObject>> RefusedByBothEnginesAsync(Func<JsonObject> bundle, params string[] errors)
    {
        var problems = new List<JsonObject>();
        foreach (var target in new[] { broker, opaBroker })
        {
            var activations = await CountEventsAsync(target, "policy_bundle_activated");

            var response = await target.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin).PostAsJsonAsync("/policies/bundles", bundle());

            var problem = await ShouldBeProblemAsync(response, HttpStatusCode.UnprocessableEntity);
            problem["errors"]!["modules"]!.AsArray().Select(e => e!.GetValue<string>()).ShouldBe(errors);
            (await CountEventsAsync(target, "policy_bundle_activated")).ShouldBe(activations);
            problems.Add(problem.AsObject());
        }

        return problems;
    }
}
