using BalticAI.Sovereignty.Api.Feeds;

namespace BalticAI.Sovereignty.Api.Tests.Feeds;

public sealed class FeedMembershipTests
{
    [Fact]
    public void Every_event_belongs_to_the_EU_feed()
    {
        FeedMembership.FeedsOf(new ProbeDecisionMade(Guid.NewGuid(), "allow", [], "x"), null).ShouldBe(["EU"]);
    }

    [Fact]
    public void Countries_of_the_event_and_of_the_acting_organisation_select_their_feeds()
    {
        var decision = new ProbeDecisionMade(Guid.NewGuid(), "allow", ["LT", "lv"], "x");

        FeedMembership.FeedsOf(decision, "PL").ShouldBe(["PL", "LT", "LV", "EU"]);
    }

    [Fact]
    public void Countries_without_a_feed_reach_the_EU_feed_only()
    {
        var decision = new ProbeDecisionMade(Guid.NewGuid(), "deny", ["US", "DE"], "x");

        FeedMembership.FeedsOf(decision, "EU").ShouldBe(["EU"]);
    }
}
