using System.Net;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Platform.ProblemAndOpenApiTests;

namespace BalticAI.Sovereignty.Api.Tests.Policies;

/// <summary>
/// Activation compiles a bundle against the schema of the input the broker builds (schemas/policy-input.schema.json):
/// a rule reading a key the broker never sends never holds, so a deny rule with a typo would never deny.
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
        foreach (var target in new[] { broker, opaBroker })
        {
            var activations = await CountEventsAsync(target, "policy_bundle_activated");

            var response = await ActivateWithModuleAsync(target, "schema-typo", "extra/typo.rego", Typo);

            var problem = await ShouldBeProblemAsync(response, HttpStatusCode.UnprocessableEntity);
            problem["detail"]!.GetValue<string>().ShouldContain("does not compile");
            problem["errors"]!["modules"]!.AsArray().Select(e => e!.GetValue<string>()).ShouldBe([
                "extra/typo.rego:3: rego_type_error: undefined ref: input.dataset.licencing (did you mean input.dataset.licensing?)",
            ]);
            (await CountEventsAsync(target, "policy_bundle_activated")).ShouldBe(activations);
        }
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
}
