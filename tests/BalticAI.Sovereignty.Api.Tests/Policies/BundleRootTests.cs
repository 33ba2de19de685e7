using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Platform.ProblemAndOpenApiTests;

namespace BalticAI.Sovereignty.Api.Tests.Policies;

/// <summary>
/// Every package of a bundle lies below data.balticai, as OPA's bundle roots would demand: in `opa` mode a module is
/// loaded into a server other policies may share, so a package elsewhere could replace them (or the broker's pin).
/// </summary>
public sealed class BundleRootTests(BrokerFactory broker, OpaBrokerFactory opaBroker)
    : IClassFixture<BrokerFactory>, IClassFixture<OpaBrokerFactory>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await WaitForShippedBundleAsync(broker);
        await opaBroker.WaitUntilActiveAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("system.authz")]
    [InlineData("foo")]
    [InlineData("balticai_broker")]
    [InlineData("balticaix.access")]
    public async Task A_module_outside_the_root_is_422_naming_it_its_package_and_the_root_and_records_nothing(string package)
    {
        foreach (var target in new[] { broker, opaBroker })
        {
            var activations = await CountEventsAsync(target, "policy_bundle_activated");
            var active = await ActiveDigestAsync(target);

            var response = await ActivateWithModuleAsync(target, $"root-{package}", "extra/outside.rego", $"package {package}\n\nallow := true\n");

            var problem = await ShouldBeProblemAsync(response, HttpStatusCode.UnprocessableEntity);
            var error = problem["errors"]!["modules"]!.AsArray().Single()!.GetValue<string>();
            error.ShouldContain("extra/outside.rego");
            error.ShouldContain($"package {package} ");
            error.ShouldContain("data.balticai");
            (await CountEventsAsync(target, "policy_bundle_activated")).ShouldBe(activations);
            (await ActiveDigestAsync(target)).ShouldBe(active);
        }
        opaBroker.Opa.Store.Modules.Keys.ShouldNotContain("extra/outside.rego");
    }

    [Theory]
    [InlineData("balticai")]
    [InlineData("balticai.lib")]
    [InlineData("balticai.lib_test")]
    public async Task A_module_at_or_below_the_root_activates_and_the_dry_run_reads_it(string package)
    {
        var response = await ActivateWithModuleAsync(broker, $"root-{package}", "extra/inside.rego", $"package {package}\n\nroot_probe := true\n");

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var dryRun = await broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin)
            .PostJsonAsync("/policies/evaluate", new JsonObject { ["input"] = new JsonObject(), ["query"] = $"data.{package}.root_probe" });
        (await DatasetApi.ReadJsonAsync(dryRun))["result"]!.GetValue<bool>().ShouldBeTrue();
    }

    private static async Task<string> ActiveDigestAsync(BrokerFactory target)
    {
        var response = await target.ClientFor(TestTenants.EuAiOffice, Roles.Auditor).GetAsync("/policies/active");
        return (await DatasetApi.ReadJsonAsync(response))["digest"]!.GetValue<string>();
    }
}
