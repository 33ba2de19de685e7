extern alias cli;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;

namespace BalticAI.Sovereignty.Api.Tests.Policies;

/// <summary>
/// An impact report's `grants`: what the activation itself would revoke, found as it will find it, on the sites and
/// datasets as they stand rather than the recorded inputs. A broker of its own, so that its active grants are these.
/// </summary>
public sealed class ImpactGrantPreviewTests(BrokerFactory broker) : IClassFixture<BrokerFactory>
{
    /// <summary>Denies the licence a dataset's owner moved to after its grant was given; the active test policy reads no licence.</summary>
    private static readonly string DeniesCc0 = TestPolicy + """

        deny contains {"rule": "licence-cc0", "message": "CC0 data are refused", "source": "test"} if {
        	input.dataset.licensing.licence == "CC0-1.0"
        }
        """;

    [Fact]
    public async Task The_report_names_the_grants_activation_would_revoke_on_facts_changed_since_their_decisions_and_activation_revokes_those()
    {
        await ActivateAsync(broker, Bundle($"preview-base-{Guid.NewGuid():N}"));
        var job = await RegisterJobAsync(broker, await RegisterSiteAsync(broker, $"pl-prv-{Guid.NewGuid():N}"[..20], "PL"), commercial: false);
        var kept = await RegisterDatasetAsync(broker, researchOnly: false);
        var relicensed = await RegisterDatasetAsync(broker, researchOnly: false);
        var keptGrant = (await AskForOneAsync(broker, job, kept))["grant"]!["id"]!.GetValue<string>();
        var relicensedGrant = (await AskForOneAsync(broker, job, relicensed))["grant"]!["id"]!.GetValue<string>();
        var owner = broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner);
        var etag = (await owner.GetAsync($"/datasets/{relicensed}")).Headers.ETag!.ToString();
        var amended = await owner.PatchTermsAsync(relicensed, new JsonObject { ["licensing"] = new JsonObject { ["licence"] = "CC0-1.0" } }, etag);
        amended.StatusCode.ShouldBe(HttpStatusCode.OK, await amended.Content.ReadAsStringAsync());
        var candidate = Bundle($"preview-no-cc0-{Guid.NewGuid():N}", DeniesCc0);
        var admin = broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin);

        var response = await admin.PostAsJsonAsync($"/policies/impact?job={job}", candidate);

        var report = await DatasetApi.ReadJsonAsync(response);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, report.ToJsonString());
        // On their recorded inputs (the old licence) both decisions stand; on the dataset as it stands one grant goes.
        report["summary"]!["nowDenied"]!.GetValue<int>().ShouldBe(0);
        var grants = report["grants"]!;
        // Every active grant of the broker (the other test's too, which stands), not only those of the decisions sampled.
        grants["toDecideAgain"]!.GetValue<int>().ShouldBeGreaterThanOrEqualTo(2);
        grants["evaluated"]!.GetValue<int>().ShouldBe(grants["toDecideAgain"]!.GetValue<int>());
        grants["wouldBeRevoked"]!.GetValue<int>().ShouldBe(1);
        grants["reasons"]!.ToJsonString().ShouldBe("""{"policy-changed:licence-cc0":1}""");
        var named = grants["revoked"]!.AsArray().ShouldHaveSingleItem()!;
        named["grantId"]!.GetValue<string>().ShouldBe(relicensedGrant);
        named["datasetId"]!.GetValue<string>().ShouldBe(relicensed.ToString());
        named["reason"]!.GetValue<string>().ShouldBe("policy-changed:licence-cc0");
        grants["stoppedBecause"].ShouldBeNull();
        var (printed, error) = (new StringWriter(), new StringWriter());
        (await cli::BalticAI.Sovereignty.Cli.Policy.ImpactCommand.RunAsync(admin, BundleOf(candidate), $"job={job}", json: false, printed, error, CancellationToken.None))
            .ShouldBe(1, error.ToString());
        printed.ToString().ShouldContain($"would be revoked 1 (policy-changed:licence-cc0 1){Environment.NewLine}");

        await ActivateAsync(broker, candidate);

        // Revoked by the activation, or by the amendment when the revoker reaches it after the activation: each is judged
        // under the bundle in force then.
        (await UntilRevokedAsync(admin, relicensedGrant))["revocationReason"]!.GetValue<string>().ShouldBeOneOf("policy-changed:licence-cc0", "dataset-terms-amended:licence-cc0");
        (await DatasetApi.ReadJsonAsync(await admin.GetAsync($"/grants/{keptGrant}")))["status"]!.GetValue<string>().ShouldBe("active");
    }

    [Fact]
    public async Task Grants_already_decided_under_the_candidate_are_not_decided_again()
    {
        var bundle = Bundle($"preview-same-{Guid.NewGuid():N}");
        await ActivateAsync(broker, bundle);
        var job = await RegisterJobAsync(broker, await RegisterSiteAsync(broker, $"pl-prs-{Guid.NewGuid():N}"[..20], "PL"), commercial: false);
        await AskForOneAsync(broker, job, await RegisterDatasetAsync(broker, researchOnly: false));
        var admin = broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin);
        var active = await DatasetApi.ReadJsonAsync(await admin.GetAsync("/grants?status=active&limit=100"));
        var underOther = active["items"]!.AsArray().Count(g => g!["bundleDigest"]?.GetValue<string>() != BundleOf(bundle).Digest);

        var report = await DatasetApi.ReadJsonAsync(await admin.PostAsJsonAsync($"/policies/impact?job={job}", bundle));

        report["grants"]!["toDecideAgain"]!.GetValue<int>().ShouldBe(underOther);
        report["grants"]!["evaluated"]!.GetValue<int>().ShouldBe(underOther);
        report["grants"]!["wouldBeRevoked"]!.GetValue<int>().ShouldBe(0);
    }
}
