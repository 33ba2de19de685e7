using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Policies.Bundles;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Platform.ProblemAndOpenApiTests;

namespace BalticAI.Sovereignty.Api.Tests.Policies;

/// <summary>
/// An auditor holding a decision's bundle digest can fetch that bundle and recompute the digest: before, only the
/// active bundle could be read, and without its data documents, which the digest covers.
/// </summary>
public sealed class ReadingBundlesTests(BrokerFactory broker) : IClassFixture<BrokerFactory>
{
    private HttpClient Auditor => broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor);

    [Fact]
    public async Task Activations_are_listed_newest_first_and_each_bundle_is_served_with_what_its_digest_covers()
    {
        var shipped = (await WaitForShippedBundleAsync(broker))["digest"]!.GetValue<string>();
        var activated = await ActivateAsync(broker, Bundle($"reading-{Guid.NewGuid():N}"));

        var list = await Auditor.GetAsync("/policies/bundles");
        var older = await Auditor.GetAsync($"/policies/bundles/{shipped}");
        var active = await Auditor.GetAsync("/policies/active");

        list.StatusCode.ShouldBe(HttpStatusCode.OK);
        var activations = (await DatasetApi.ReadJsonAsync(list)).AsArray();
        activations[0]!["digest"]!.GetValue<string>().ShouldBe(activated);
        activations[0]!["activatedBy"]!.GetValue<string>().ShouldBe("eu-ai-office");
        activations.Select(a => a!["digest"]!.GetValue<string>()).ShouldContain(shipped);
        activations.Select(a => a!["ledgerVersion"]!.GetValue<long>()).ShouldBeInOrder(SortDirection.Descending);
        older.StatusCode.ShouldBe(HttpStatusCode.OK);
        Recomputed(await DatasetApi.ReadJsonAsync(older)).ShouldBe(shipped);
        Recomputed(await DatasetApi.ReadJsonAsync(active)).ShouldBe(activated);
    }

    [Fact]
    public async Task The_shipped_bundle_describes_each_rule_by_its_METADATA_with_its_legal_sources_and_an_unknown_bundle_is_404()
    {
        await WaitForShippedBundleAsync(broker);
        var activations = (await DatasetApi.ReadJsonAsync(await Auditor.GetAsync("/policies/bundles"))).AsArray();
        var shipped = activations.Last(a => a!["revision"]!.GetValue<string>().StartsWith("balticai-default-", StringComparison.Ordinal))!["digest"]!.GetValue<string>();

        var response = await Auditor.GetAsync($"/policies/bundles/{shipped}/annotations");
        var missing = await Auditor.GetAsync($"/policies/bundles/sha256:{new string('0', 64)}/annotations");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await DatasetApi.ReadJsonAsync(response);
        body["digest"]!.GetValue<string>().ShouldBe(shipped);
        body["errors"]!.AsArray().ShouldBeEmpty();
        var entries = body["annotations"]!.AsArray().Select(e => e!).ToList();
        entries.Select(e => e["document"]!.GetValue<string>()).ShouldBeInOrder(SortDirection.Ascending, StringComparer.Ordinal);
        var gpai = entries.Single(e => e["document"]!.GetValue<string>() == "data.balticai.rules.gpai");
        gpai["file"]!.GetValue<string>().ShouldBe("rules/gpai/gpai.rego");
        gpai["line"]!.GetValue<int>().ShouldBe(1);
        gpai["annotations"]!["scope"]!.GetValue<string>().ShouldBe("package");
        gpai["annotations"]!["title"]!.GetValue<string>().ShouldBe("General-purpose model training summary");
        gpai["annotations"]!["custom"]!["sources"]!.AsArray().Single()!.GetValue<string>().ShouldBe("AI Act Art. 53(1)(d)");
        var decision = entries.Single(e => e["document"]!.GetValue<string>() == "data.balticai.access.decision");
        decision["annotations"]!["scope"]!.GetValue<string>().ShouldBe("document");
        decision["annotations"]!["entrypoint"]!.GetValue<bool>().ShouldBeTrue();
        var root = entries.Single(e => e["document"]!.GetValue<string>() == "data.balticai");
        root["annotations"]!["scope"]!.GetValue<string>().ShouldBe("subpackages");
        root["annotations"]!["schemas"]!.AsArray().Select(x => string.Join('.', x!["path"]!.AsArray().Select(p => p!.GetValue<string>())))
            .ShouldBe(["data.balticai.settings", "data.balticai.countries", "data.balticai.licences", "data.balticai.residency", "data.balticai.sites", "data.balticai.authorities"]);
        await ShouldBeProblemAsync(missing, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_module_digest_is_the_SHA_256_of_its_source_and_an_unknown_bundle_is_404()
    {
        var digest = (await WaitForShippedBundleAsync(broker))["digest"]!.GetValue<string>();

        var bundle = await DatasetApi.ReadJsonAsync(await Auditor.GetAsync($"/policies/bundles/{digest}"));
        var missing = await Auditor.GetAsync($"/policies/bundles/sha256:{new string('0', 64)}");

        bundle["modules"]!.AsArray().ShouldAllBe(m => m!["sha256"]!.GetValue<string>() == PolicyBundle.Sha256Hex(m["source"]!.GetValue<string>()));
        bundle["data"]!["balticai"].ShouldNotBeNull();
        await ShouldBeProblemAsync(missing, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_same_content_activated_under_two_revisions_is_one_bundle_listing_both_activations()
    {
        var first = $"relabel-{Guid.NewGuid():N}";
        var second = $"relabel-{Guid.NewGuid():N}";
        var digest = await ActivateAsync(broker, Bundle(first));
        var other = await ActivateAsync(broker, Bundle($"between-{Guid.NewGuid():N}", TestPolicy + "\n# another content\n"));
        (await ActivateAsync(broker, Bundle(second))).ShouldBe(digest);

        var bundle = await DatasetApi.ReadJsonAsync(await Auditor.GetAsync($"/policies/bundles/{digest}"));
        var active = await DatasetApi.ReadJsonAsync(await Auditor.GetAsync("/policies/active"));

        other.ShouldNotBe(digest);
        var activations = bundle["activations"]!.AsArray();
        activations.Select(a => a!["revision"]!.GetValue<string>()).Take(2).ShouldBe([second, first]);
        activations.ShouldAllBe(a => a!["digest"]!.GetValue<string>() == digest);
        bundle["revision"]!.GetValue<string>().ShouldBe(second);
        active.AsObject().ContainsKey("activations").ShouldBeFalse();
    }

    /// <summary>What an auditor computes from the answer alone.</summary>
    private static string Recomputed(JsonNode bundle) => PolicyBundle.ComputeDigest(
        bundle["modules"]!.AsArray().Select(m => new BundleModule(m!["path"]!.GetValue<string>(), m["source"]!.GetValue<string>())).ToList(),
        bundle["data"]!.AsObject());
}
