using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Platform.ProblemAndOpenApiTests;

namespace BalticAI.Sovereignty.Api.Tests.Policies;

/// <summary>
/// Decisions, feeds and the ledger quote a bundle by revision: a policy author who edited a module and kept the
/// `.manifest` revision got a second bundle under the first one's name, and an auditor two answers to "which rules
/// were revision X".
/// </summary>
public sealed class BundleRevisionTests(BrokerFactory broker) : IClassFixture<BrokerFactory>
{
    private HttpClient Admin => broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin);

    [Fact]
    public async Task Other_content_under_a_recorded_revision_is_409_and_records_nothing()
    {
        var revision = $"taken-{Guid.NewGuid():N}";
        var first = await ActivateAsync(broker, Bundle(revision));
        var before = await ActivationCountAsync();

        var refused = await Admin.PostAsJsonAsync("/policies/bundles", Bundle(revision, TestPolicy + "\n# edited, revision kept\n"));

        var problem = await ShouldBeProblemAsync(refused, HttpStatusCode.Conflict);
        problem["title"]!.GetValue<string>().ShouldBe("The revision names another bundle");
        problem["revision"]!.GetValue<string>().ShouldBe(revision);
        problem["recordedDigest"]!.GetValue<string>().ShouldBe(first);
        problem["detail"]!.GetValue<string>().ShouldContain("nothing was recorded");
        (await ActivationCountAsync()).ShouldBe(before);
        (await ActiveDigestAsync()).ShouldBe(first);
    }

    [Fact]
    public async Task A_recorded_bundle_activated_again_under_its_revision_is_a_rollback()
    {
        var revision = $"rollback-{Guid.NewGuid():N}";
        var first = await ActivateAsync(broker, Bundle(revision));
        await ActivateAsync(broker, Bundle($"later-{Guid.NewGuid():N}", TestPolicy + "\n# a later bundle\n"));

        (await ActivateAsync(broker, Bundle(revision))).ShouldBe(first);

        (await ActiveDigestAsync()).ShouldBe(first);
    }

    [Fact]
    public async Task A_revision_still_names_its_content_after_that_content_was_relabelled()
    {
        var original = $"original-{Guid.NewGuid():N}";
        var digest = await ActivateAsync(broker, Bundle(original));
        await ActivateAsync(broker, Bundle($"relabelled-{Guid.NewGuid():N}"));

        var refused = await Admin.PostAsJsonAsync("/policies/bundles", Bundle(original, TestPolicy + "\n# other content, old name\n"));

        (await ShouldBeProblemAsync(refused, HttpStatusCode.Conflict))["recordedDigest"]!.GetValue<string>().ShouldBe(digest);
    }

    private async Task<int> ActivationCountAsync() =>
        (await DatasetApi.ReadJsonAsync(await Admin.GetAsync("/policies/bundles"))).AsArray().Count;

    private async Task<string> ActiveDigestAsync() =>
        (await DatasetApi.ReadJsonAsync(await Admin.GetAsync("/policies/active")))["digest"]!.GetValue<string>();
}
