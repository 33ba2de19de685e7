using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Platform.ProblemAndOpenApiTests;

namespace BalticAI.Sovereignty.Api.Tests.Policies;

/// <summary>The steps every "a bundle whose tests do not pass is refused" test shares.</summary>
public static class BundleTestRefusal
{
    /// <summary>
    /// Activates the test bundle plus one module at <paramref name="path"/>, requires the 422 whose detail is
    /// <paramref name="detail"/> (which way the tests did not pass) with no activation recorded, and returns the
    /// refusal's lines (`errors.modules`).
    /// </summary>
    public static async Task<IReadOnlyList<string>> RefusedAsync(BrokerFactory broker, string revision, string path, string source,
        string detail = "the bundle's tests fail")
    {
        var activations = await CountEventsAsync(broker, "policy_bundle_activated");
        var bundle = Bundle(revision);
        bundle["modules"]!.AsArray().Add(new JsonObject { ["path"] = path, ["source"] = source });

        var response = await broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin).PostJsonAsync("/policies/bundles", bundle);

        var problem = await ShouldBeProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        problem["detail"]!.GetValue<string>().ShouldBe(detail);
        (await CountEventsAsync(broker, "policy_bundle_activated")).ShouldBe(activations);
        return problem["errors"]!["modules"]!.AsArray().Select(e => e!.GetValue<string>()).ToList();
    }
}
