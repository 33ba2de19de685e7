using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Decisions;
using BalticAI.Sovereignty.Api.Decisions.Grants;
using BalticAI.Sovereignty.Api.Decisions.RequestingAccess;
using BalticAI.Sovereignty.Api.Policies.AssessingImpact;

namespace BalticAI.Sovereignty.Api.Tests.Policies;

/// <summary>What counts as deciding otherwise, and how a changed decision's grant reads, without a broker.</summary>
public sealed class ImpactChangeTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Reworded_messages_repeated_rules_and_reordered_duties_decide_alike()
    {
        var denied = Recorded(false, [new("licence", "old wording", "DSM"), new("tdm", "x", null)], []);
        var allowed = Recorded(true, [], [Duty("pseudonymise", "keyed-hash"), Duty("keep-on-site", "pl-1")]);

        ImpactChange.Of(denied, new PolicyVerdict(false, [new("tdm", "new", null), new("licence", "new wording", "DSM"), new("tdm", "again", null)], [])).ShouldBeNull();
        ImpactChange.Of(allowed, new PolicyVerdict(true, [], [Duty("keep-on-site", "pl-1"), Duty("pseudonymise", "keyed-hash")])).ShouldBeNull();
    }

    [Fact]
    public void Each_difference_is_named_by_its_kind()
    {
        var denied = Recorded(false, [new("licence", "m", null)], []);
        var allowed = Recorded(true, [], [Duty("keep-on-site", "pl-1")]);

        ImpactChange.Of(allowed, new PolicyVerdict(false, [new("licence", "m", null)], [])).ShouldBe(ImpactChange.NowDenied);
        ImpactChange.Of(denied, new PolicyVerdict(true, [], [])).ShouldBe(ImpactChange.NowAllowed);
        ImpactChange.Of(allowed, new PolicyVerdict(true, [], [Duty("keep-on-site", "pl-2")])).ShouldBe(ImpactChange.ObligationsChanged);
        ImpactChange.Of(allowed, new PolicyVerdict(true, [], [])).ShouldBe(ImpactChange.ObligationsChanged);
        ImpactChange.Of(denied, new PolicyVerdict(false, [new("licence", "m", null), new("tdm", "m", null)], [])).ShouldBe(ImpactChange.ReasonsChanged);
    }

    [Theory]
    [InlineData(GrantStatus.Active, 1, "active")]
    [InlineData(GrantStatus.Active, 0, "expired")]
    [InlineData(GrantStatus.Active, -1, "expired")]
    [InlineData(GrantStatus.Revoked, 1, "revoked")]
    public void A_grant_reads_as_it_stands_at_the_reports_time(GrantStatus status, int hoursLeft, string expected)
    {
        var grant = new Grant(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), 1, Guid.NewGuid(), "pl-cyfronet",
            Now.AddHours(hoursLeft), [], ["PL"], status, null, 0, 0);

        var state = GrantState.Of(grant, Now);

        state.Status.ShouldBe(expected);
        state.Id.ShouldBe(grant.Id);
        state.ExpiresAt.ShouldBe(grant.ExpiresAt);
    }

    private static JsonObject Duty(string type, string value) => new() { ["type"] = type, ["value"] = value };

    private static AccessDecided Recorded(bool allowed, IReadOnlyList<DecisionReason> reasons, IReadOnlyList<JsonObject> obligations) =>
        new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), 1, "pl-cyfronet", Guid.NewGuid(), allowed, reasons, obligations,
            "r", "sha256:00", "sha256:11", new JsonObject(), null, Now, ["PL"]);
}
