using BalticAI.Sovereignty.Api.Feeds;
using BalticAI.Sovereignty.Api.Feeds.Envelopes;
using BalticAI.Sovereignty.Api.Provenance;

namespace BalticAI.Sovereignty.Api.Tests.Provenance;

public sealed class ProvenanceFeedTests
{
    [Fact]
    public void A_violation_reaches_the_feeds_of_every_country_concerned_and_the_eu()
    {
        var violation = new LineageViolationRecorded(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "pl-cyfronet", "RUNNING", "sha256:00",
            [new UncoveredInput("/inputs/0", "balticai://datasets", Guid.NewGuid().ToString(), Guid.NewGuid(), 1, "the job holds no grant for this dataset version")],
            DateTimeOffset.UtcNow, ["EE", "PL"]);

        FeedMembership.FeedsOf(violation, "PL").ShouldBe(["PL", "EE", "EU"], ignoreOrder: true);
    }

    [Fact]
    public void Provenance_events_have_feed_types_of_their_own()
    {
        EnvelopeFactory.TypeOf(typeof(LineageViolationRecorded)).ShouldEndWith(".lineage-violation-recorded");
        EnvelopeFactory.TypeOf(typeof(ModelVersionFlagged)).ShouldEndWith(".model-version-flagged");
    }
}
