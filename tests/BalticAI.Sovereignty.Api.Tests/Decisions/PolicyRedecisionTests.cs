using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Decisions;
using BalticAI.Sovereignty.Api.Decisions.Grants;
using BalticAI.Sovereignty.Api.Decisions.Grants.Revoking;
using BalticAI.Sovereignty.Api.Decisions.RequestingAccess;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Policies.ActivatingBundle;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static BalticAI.Sovereignty.Api.Tests.Decisions.AmendedGrants;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Sites.SiteGrantsApi;

namespace BalticAI.Sovereignty.Api.Tests.Decisions;

/// <summary>
/// A PolicyAdmin whose impact assessment showed 500 active grants the new bundle denies found them all still active
/// after activating it: grants followed amended terms and sites, not the policy. An activation now decides the active
/// grants again under the activated bundle, and a release waits until it has.
/// </summary>
public sealed class PolicyRedecisionTests(InterleavingBroker broker) : IClassFixture<InterleavingBroker>
{
    /// <summary>The test policy denying sites without ISO 27001, and its test on such a site.</summary>
    private static readonly string AccreditedPolicy = TestPolicy + """

        deny contains {"rule": "site-accredited", "message": "the site lacks ISO 27001", "source": "test data"} if {
        	not "iso-27001" in input.site.accreditations
        }
        """;

    private static readonly string AccreditedTests = TestPolicyTests.Replace("\"site\": {\"country\": \"PL\"}", "\"site\": {\"country\": \"PL\", \"accreditations\": [\"iso-27001\"]}", StringComparison.Ordinal);

    /// <summary>The test policy binding one more duty on every allow.</summary>
    private static readonly string LoggedPolicy = TestPolicy + "\nobligations contains {\"type\": \"log-every-read\"} if allow\n";

    [Fact]
    public async Task An_activated_bundle_that_denies_revokes_those_grants_by_its_rules_and_keeps_the_others()
    {
        await ActivateAsync(broker, Bundle($"redecide-base-{Guid.NewGuid():N}"));
        var polish = await GrantOnAsync("PL", researchOnly: false);
        var estonian = await GrantOnAsync("EE", researchOnly: false);
        var withoutPoland = Bundle($"redecide-no-pl-{Guid.NewGuid():N}");
        withoutPoland["data"]!["allowedCountries"] = new JsonArray("EE", "LT", "LV");
        // Counted once the revoker has judged all before (another test's activation may still be revoking grants).
        await RevokerCaughtUpAsync(broker, await RegisterSiteAsync(broker, Code(), "PL"));
        var toDecideAgain = await CountDecidedUnderOtherAsync(DigestOf(withoutPoland));

        var answer = await broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin).PostAsJsonAsync("/policies/bundles", withoutPoland);

        answer.StatusCode.ShouldBe(HttpStatusCode.Created, await answer.Content.ReadAsStringAsync());
        var activated = await DatasetApi.ReadJsonAsync(answer);
        // The PolicyAdmin learns at once how many grants the revoker now decides again: these two, and any other test's.
        toDecideAgain.ShouldBeGreaterThanOrEqualTo(2);
        activated["grantsToDecideAgain"]!.GetValue<int>().ShouldBe(toDecideAgain);

        var revoked = await WaitForGrantAsync(broker, polish, g => g["status"]!.GetValue<string>() == "revoked");
        revoked["revocationReason"]!.GetValue<string>().ShouldBe("policy-changed:site-country");
        // Both were judged on one activation, in one commit.
        (await GrantAsync(broker, estonian))["status"]!.GetValue<string>().ShouldBe("active");
        (await RedeemAsync(broker, polish)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await OnceRedecidedAsync(() => RedeemAsync(broker, estonian))).StatusCode.ShouldBe(HttpStatusCode.Created);
        // Recorded as the doing of the PolicyAdmin who activated the bundle, on the grant and on its job.
        var (organisation, onJob) = await RevocationRecordAsync(polish);
        organisation.ShouldBe("eu-ai-office");
        onJob.ShouldBe("policy-changed:site-country");
        (await BundleIssuedUnderAsync(polish)).ShouldNotBe(activated["digest"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_bundle_that_binds_another_duty_revokes_so_the_training_system_asks_again_under_it()
    {
        await ActivateAsync(broker, Bundle($"redecide-duty-base-{Guid.NewGuid():N}"));
        var site = await RegisterSiteAsync(broker, Code(), "PL");
        var job = await RegisterJobAsync(broker, site, commercial: false);
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);
        var grant = GrantTokens.Remember((await DecideAsync(job, dataset))["grant"]!);

        await ActivateAsync(broker, Bundle($"redecide-logged-{Guid.NewGuid():N}", LoggedPolicy));

        var revoked = await WaitForGrantAsync(broker, grant, g => g["status"]!.GetValue<string>() == "revoked");
        revoked["revocationReason"]!.GetValue<string>().ShouldBe(GrantRevoker.PolicyObligationsChanged);
        var again = await DecideAsync(job, dataset);
        again["allowed"]!.GetValue<bool>().ShouldBeTrue(again.ToJsonString());
        again["obligations"]!.AsArray().Select(o => o!["type"]!.GetValue<string>()).ShouldBe(["log-every-read"]);
    }

    [Fact]
    public async Task A_bundle_that_decides_alike_revokes_nothing_and_each_grant_records_the_bundle_it_was_decided_under()
    {
        await ActivateAsync(broker, Bundle($"redecide-alike-base-{Guid.NewGuid():N}"));
        var site = await RegisterSiteAsync(broker, Code(), "PL");
        var earlier = await GrantOnAsync("PL", researchOnly: true);
        // The same rules, one country more: another digest, the same answers for these grants.
        var wider = Bundle($"redecide-wider-{Guid.NewGuid():N}");
        wider["data"]!["allowedCountries"] = new JsonArray("PL", "EE", "LT", "LV", "FI");
        var digest = await ActivateAsync(broker, wider);
        var later = GrantTokens.Remember((await DecideAsync(await RegisterJobAsync(broker, site, commercial: false), await RegisterDatasetAsync(broker, researchOnly: false)))["grant"]!);

        await RevokerCaughtUpAsync(broker, site);

        (await GrantAsync(broker, earlier))["status"]!.GetValue<string>().ShouldBe("active");
        (await GrantAsync(broker, later))["status"]!.GetValue<string>().ShouldBe("active");
        (await BundleIssuedUnderAsync(later)).ShouldBe(digest);
        (await GrantAsync(broker, later))["bundleDigest"]!.GetValue<string>().ShouldBe(digest);
        (await BundleIssuedUnderAsync(earlier)).ShouldNotBe(digest);
    }

    [Fact]
    public async Task A_decision_taken_under_the_old_bundle_that_commits_after_the_activation_is_revoked_once_recorded()
    {
        var old = await ActivateAsync(broker, Bundle($"redecide-race-base-{Guid.NewGuid():N}"));
        var job = await RegisterJobAsync(broker, await RegisterSiteAsync(broker, Code(), "PL"), commercial: false);
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);
        var withoutPoland = Bundle($"redecide-race-no-pl-{Guid.NewGuid():N}");
        withoutPoland["data"]!["allowedCountries"] = new JsonArray("EE", "LT", "LV");
        // The decision has been evaluated under the old bundle; before it commits, a PolicyAdmin activates one that
        // denies it. Whether the revoker meets the activation or the grant first, the grant must not outlive it.
        broker.Interleaver.Arm<GrantIssued>(async (_, _) => await ActivateAsync(broker, withoutPoland));

        var decided = await DecideAsync(job, dataset);

        decided["allowed"]!.GetValue<bool>().ShouldBeTrue(decided.ToJsonString());
        var grant = GrantTokens.Remember(decided["grant"]!);
        (await BundleIssuedUnderAsync(grant)).ShouldBe(old);
        var revoked = await WaitForGrantAsync(broker, grant, g => g["status"]!.GetValue<string>() == "revoked");
        revoked["revocationReason"]!.GetValue<string>().ShouldBe("policy-changed:site-country");
    }

    [Fact]
    public async Task A_site_that_loses_a_fact_is_judged_under_the_bundle_in_force_not_the_one_its_grants_were_decided_under()
    {
        await ActivateAsync(broker, Bundle($"redecide-site-base-{Guid.NewGuid():N}"));
        var site = await RegisterSiteAsync(broker, Code(), "PL", "iso-27001");
        var grant = GrantTokens.Remember((await DecideAsync(await RegisterJobAsync(broker, site, commercial: false), await RegisterDatasetAsync(broker, researchOnly: false)))["grant"]!);
        // The bundle in force comes to require the accreditation, which the site still holds: the grant stands.
        await ActivateAsync(broker, Bundle($"redecide-accredited-{Guid.NewGuid():N}", AccreditedPolicy, AccreditedTests));
        await RevokerCaughtUpAsync(broker, site);
        (await GrantAsync(broker, grant))["status"]!.GetValue<string>().ShouldBe("active");

        var lapsed = await broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin)
            .SendAsync(HttpMethod.Patch, $"/sites/{site}", """{"accreditations": []}""", "\"1\"", "application/merge-patch+json");

        lapsed.StatusCode.ShouldBe(HttpStatusCode.OK, await lapsed.Content.ReadAsStringAsync());
        // The bundle the grant was decided under never read accreditations; the one in force denies.
        var revoked = await WaitForGrantAsync(broker, grant, g => g["status"]!.GetValue<string>() == "revoked");
        revoked["revocationReason"]!.GetValue<string>().ShouldBe("site-facts-withdrawn:site-accredited");
    }

    [Fact]
    public async Task A_revoker_behind_the_ledger_judges_no_grant_under_a_bundle_activated_since_replaced()
    {
        var site = await RegisterSiteAsync(broker, Code(), "PL");
        await ActivateAsync(broker, Bundle($"redecide-behind-base-{Guid.NewGuid():N}"));
        await RevokerCaughtUpAsync(broker, site);
        var withoutPoland = Bundle($"redecide-behind-no-pl-{Guid.NewGuid():N}");
        withoutPoland["data"]!["allowedCountries"] = new JsonArray("EE", "LT", "LV");
        string? grant = null;

        // The revoker is held saving its progress past a page, as a backlog would hold it, while a bundle that denies
        // Polish sites is activated and then replaced by the one before, under which a Polish grant is decided.
        await WhileTheRevokerSavesNothingAsync(async () =>
        {
            await GrantOnAsync("EE", researchOnly: false);
            await Task.Delay(TimeSpan.FromSeconds(2));
            await ActivateAsync(broker, withoutPoland);
            await ActivateAsync(broker, Bundle($"redecide-behind-back-{Guid.NewGuid():N}"));
            grant = await GrantOnAsync("PL", researchOnly: false);
        });
        await RevokerCaughtUpAsync(broker, site);

        // Read after both activations, the first of them no longer in force decided nothing.
        (await GrantAsync(broker, grant!))["status"]!.GetValue<string>().ShouldBe("active");
    }

    [Fact]
    public async Task Grants_decided_under_a_bundle_are_not_counted_for_its_activation_and_all_others_are()
    {
        var digest = await ActivateAsync(broker, Bundle($"redecide-count-{Guid.NewGuid():N}"));
        var other = "sha256:" + new string('c', 64);
        var (underIt, underOther) = (await CountDecidedUnderOtherAsync(digest), await CountDecidedUnderOtherAsync(other));

        await GrantOnAsync("PL", researchOnly: false);

        (await CountDecidedUnderOtherAsync(digest)).ShouldBe(underIt);
        (await CountDecidedUnderOtherAsync(other)).ShouldBe(underOther + 1);
    }

    [Fact]
    public void A_grant_is_decided_again_only_when_another_bundle_is_active_and_named_by_what_changed()
    {
        var active = "sha256:" + new string('a', 64);
        var grant = new Grant(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), 1, Guid.NewGuid(), "pllum-trainer",
            DateTimeOffset.UnixEpoch, [], ["PL"], GrantStatus.Active, null, 0, 0) { BundleDigest = active };

        GrantRevoker.DecidedUnderAnotherBundle(grant, active).ShouldBeFalse();
        GrantRevoker.DecidedUnderAnotherBundle(grant, "sha256:" + new string('b', 64)).ShouldBeTrue();
        GrantRevoker.DecidedUnderAnotherBundle(grant with { BundleDigest = null }, active).ShouldBeTrue();
        GrantRevoker.DecidedUnderAnotherBundle(grant, null).ShouldBeFalse();

        JsonObject Duty(string type) => new() { ["type"] = type };
        var denied = new PolicyVerdict(false, [new DecisionReason("site-country", "outside", null), new DecisionReason("research-only", "research", null)], []);
        GrantRevoker.ReasonToRevokeOnPolicy(denied, []).ShouldBe("policy-changed:research-only,site-country");
        GrantRevoker.ReasonToRevokeOnPolicy(new PolicyVerdict(true, [], [Duty("log-every-read")]), []).ShouldBe("policy-obligations-changed");
        GrantRevoker.ReasonToRevokeOnPolicy(new PolicyVerdict(true, [], [Duty("log-every-read")]), [Duty("log-every-read")]).ShouldBeNull();
        GrantRevoker.ReasonToRevokeOnPolicy(null, []).ShouldBe("policy-changed");
    }

    private Task<string> GrantOnAsync(string country, bool researchOnly) => GrantOnNewSiteAsync(broker, country, researchOnly);

    private Task<JsonNode> DecideAsync(Guid job, Guid dataset) => AskForOneAsync(broker, job, dataset);

    /// <summary>Holds the revoker's progress row, so it waits after the page it is on, until <paramref name="act"/> is done.</summary>
    private async Task WhileTheRevokerSavesNothingAsync(Func<Task> act)
    {
        await using var connection = new NpgsqlConnection(TestServices.PostgresConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand($"select 1 from {broker.Schema}.mt_event_progression where name = @revoker for update", connection, transaction))
        {
            hold.Parameters.AddWithValue("revoker", GrantRevoker.SubscriptionName + ":All");
            await hold.ExecuteNonQueryAsync();
        }
        try
        {
            await act();
        }
        finally
        {
            await transaction.RollbackAsync();
        }
    }

    private Task<int> CountDecidedUnderOtherAsync(string digest) =>
        GrantRevoker.CountDecidedUnderOtherAsync(broker.Services.GetRequiredService<IDocumentStore>(), digest, DateTimeOffset.UtcNow, CancellationToken.None);

    private static string DigestOf(JsonObject bundle) => BundleOf(bundle).Digest;

    private async Task<string?> BundleIssuedUnderAsync(string grant) =>
        (string?)await ScalarAsync($"select data ->> 'BundleDigest' from {broker.Schema}.mt_events where type = 'grant_issued' and stream_id = @grant",
            ("grant", Guid.Parse(grant)));

    /// <summary>The organisation that recorded the grant's revocation, and the reason its job's stream carries.</summary>
    private async Task<(string Organisation, string JobReason)> RevocationRecordAsync(string grant)
    {
        var organisation = (string)(await ScalarAsync($"select headers ->> 'actor_org' from {broker.Schema}.mt_events where type = 'grant_revoked' and stream_id = @grant",
            ("grant", Guid.Parse(grant))))!;
        var onJob = (string)(await ScalarAsync($"select data ->> 'Reason' from {broker.Schema}.mt_events where type = 'job_grant_revoked' and data ->> 'GrantId' = @grant",
            ("grant", grant)))!;
        return (organisation, onJob);
    }

    private static async Task<object?> ScalarAsync(string sql, (string Name, object Value) parameter)
    {
        await using var connection = new NpgsqlConnection(TestServices.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue(parameter.Name, parameter.Value);
        return await command.ExecuteScalarAsync();
    }

    private static string Code() => $"pl-pol-{Guid.NewGuid():N}"[..20];
}
