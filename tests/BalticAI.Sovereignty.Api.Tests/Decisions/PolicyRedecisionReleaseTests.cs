using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.AmendedGrants;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Sites.SiteGrantsApi;

namespace BalticAI.Sovereignty.Api.Tests.Decisions;

/// <summary>
/// Releases between an activation and the grant revoker's verdict on it: a release decides its grant itself under the
/// activated bundle, goes when the grant stands and waits only when it will be revoked; an activation that overtakes a
/// release's commit makes it decide again.
/// </summary>
public sealed class PolicyRedecisionReleaseTests(InterleavingBroker broker) : IClassFixture<InterleavingBroker>
{
    [Fact]
    public async Task A_release_under_a_grant_the_activated_bundle_denies_waits_for_the_revoker_and_is_then_refused()
    {
        await ActivateAsync(broker, Bundle($"redecide-wait-base-{Guid.NewGuid():N}"));
        var grant = await GrantOnNewSiteAsync(broker, "PL", researchOnly: false);
        (await RedeemAsync(broker, grant)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var withoutPoland = Bundle($"redecide-wait-no-pl-{Guid.NewGuid():N}");
        withoutPoland["data"]!["allowedCountries"] = new JsonArray("EE", "LT", "LV");

        var waiting = await WhileTheRevokerIsHeldAsync(broker, grant, async () =>
        {
            await ActivateAsync(broker, withoutPoland);
            return await RedeemAsync(broker, grant);
        });

        waiting.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable, await waiting.Content.ReadAsStringAsync());
        waiting.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(1));
        JsonNode.Parse(await waiting.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>().ShouldContain("another policy bundle was activated");
        (await OnceRedecidedAsync(() => RedeemAsync(broker, grant))).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var revoked = await GrantAsync(broker, grant);
        revoked["revocationReason"]!.GetValue<string>().ShouldBe("policy-changed:site-country");
        revoked["redemptions"]!.GetValue<int>().ShouldBe(1);
    }

    [Fact]
    public async Task A_release_under_a_grant_the_activated_bundle_still_gives_goes_at_once_while_the_revoker_is_held()
    {
        await ActivateAsync(broker, Bundle($"redecide-go-base-{Guid.NewGuid():N}"));
        var grant = await GrantOnNewSiteAsync(broker, "PL", researchOnly: true);
        var wider = Bundle($"redecide-go-wider-{Guid.NewGuid():N}");
        wider["data"]!["allowedCountries"] = new JsonArray("PL", "EE", "LT", "LV", "SE");

        var released = await WhileTheRevokerIsHeldAsync(broker, grant, async () =>
        {
            await ActivateAsync(broker, wider);
            return await RedeemAsync(broker, grant);
        });

        // Taken again by the release itself under the activated bundle: allowed, with the same duty.
        released.StatusCode.ShouldBe(HttpStatusCode.Created, await released.Content.ReadAsStringAsync());
        (await GrantAsync(broker, grant))["redemptions"]!.GetValue<int>().ShouldBe(1);
    }

    [Fact]
    public async Task A_release_whose_commit_an_activation_overtakes_is_decided_again_under_it()
    {
        await ActivateAsync(broker, Bundle($"redecide-overtaken-base-{Guid.NewGuid():N}"));
        var grant = await GrantOnNewSiteAsync(broker, "PL", researchOnly: false);
        var withoutPoland = Bundle($"redecide-overtaken-no-pl-{Guid.NewGuid():N}");
        withoutPoland["data"]!["allowedCountries"] = new JsonArray("EE", "LT", "LV");
        // The release has read the grant, its dataset and the active bundle; before it commits, a bundle that denies
        // the grant is activated.
        broker.Interleaver.Arm(Guid.Parse(grant), async (_, _) => await ActivateAsync(broker, withoutPoland));

        var release = await RedeemAsync(broker, grant);

        // Decided again: the revoker has not recorded the revocation yet (503) or has (409); never released.
        new[] { HttpStatusCode.ServiceUnavailable, HttpStatusCode.Conflict }.ShouldContain(release.StatusCode, await release.Content.ReadAsStringAsync());
        (await GrantAsync(broker, grant))["redemptions"]!.GetValue<int>().ShouldBe(0);
    }
}
