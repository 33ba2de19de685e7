using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Provenance.Propagating;
using BalticAI.Sovereignty.Api.Provenance.QueryingLineage;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using JasperFx.Events;
using static BalticAI.Sovereignty.Api.Tests.Provenance.LineageStates;

namespace BalticAI.Sovereignty.Api.Tests.Provenance;

/// <summary>What a source's event puts on the datasets derived from it: pure, so each case is one call.</summary>
public sealed class DerivedDatasetFlagsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_version_withdrawal_flags_only_the_derived_versions_made_from_it_and_never_twice()
    {
        var source = Dataset([], Version(1, Now.AddDays(-5)), Version(2, Now.AddDays(-4)));
        var fromFirst = Dataset([source.Id], Version(1, Now.AddDays(-3), (source.Id, 1)));
        var mixed = Dataset([source.Id], Version(1, Now.AddDays(-3), (source.Id, 1)), Version(2, Now.AddDays(-2)));
        var withdrawn = Of(source.Id, new DatasetVersionWithdrawn(source.Id, 2, WithdrawalReason.ErasureRequest, null, Now, ["EE"]));

        var flags = DerivedDatasetFlags.Of(withdrawn, Known(fromFirst, mixed), Depths(fromFirst, mixed), source, Now);

        var flagged = flags.ShouldHaveSingleItem();
        flagged.DatasetId.ShouldBe(mixed.Id);
        var e = flagged.Event.ShouldBeOfType<DerivedDatasetFlagged>();
        (e.SourceDatasetId, e.SourceVersion, e.Reason, e.Depth, e.CauseEventId).ShouldBe((source.Id, (int?)2, "dataset-version-withdrawn:erasure-request", 1, withdrawn.Id));
        e.Versions.ShouldBe([2]);
        e.Countries.ShouldBe(["EE", "PL"]);
        var again = mixed.Apply(e);
        DerivedDatasetFlags.Of(withdrawn, Known(fromFirst, again), Depths(fromFirst, again), source, Now).ShouldBeEmpty();
    }

    [Fact]
    public void A_restriction_flags_every_derived_dataset_with_all_its_versions_and_its_lifting_clears_only_those_flags()
    {
        var source = Dataset([], Version(1, Now.AddDays(-5)));
        var copy = Dataset([source.Id], Version(1, Now.AddDays(-3)), Version(2, Now.AddDays(-2)));
        var restricted = Of(source.Id, new DatasetRestricted(source.Id, RestrictionReason.ObjectionPending, null, Now, ["PL"]));

        var flag = DerivedDatasetFlags.Of(restricted, Known(copy), Depths(copy), source, Now).ShouldHaveSingleItem().Event.ShouldBeOfType<DerivedDatasetFlagged>();
        (flag.SourceVersion, flag.Reason).ShouldBe(((int?)null, "dataset-restricted:objection-pending"));
        flag.Versions.ShouldBe([1, 2]);

        var otherSource = Guid.NewGuid();
        var flagged = copy.Apply(flag).Apply(flag with { SourceDatasetId = otherSource });
        var lifted = Of(source.Id, new DatasetRestrictionLifted(source.Id, RestrictionLiftReason.ObjectionRejected, null, Now, ["PL"]));
        var unflag = DerivedDatasetFlags.Of(lifted, Known(flagged), Depths(flagged), source, Now).ShouldHaveSingleItem().Event.ShouldBeOfType<DerivedDatasetUnflagged>();
        unflag.Reasons.ShouldBe(["dataset-restricted:objection-pending"]);
        flagged.Apply(unflag).Flags.ShouldHaveSingleItem().SourceDatasetId.ShouldBe(otherSource);
        DerivedDatasetFlags.Of(lifted, Known(copy), Depths(copy), source, Now).ShouldBeEmpty();
    }

    [Fact]
    public void A_copy_linked_after_its_source_stopped_is_flagged_for_the_versions_its_flags_do_not_cover_yet()
    {
        var source = Dataset([], Version(1, Now.AddDays(-5)), Version(2, Now.AddDays(-4)))
            .Apply(new DatasetVersionWithdrawn(Guid.Empty, 2, WithdrawalReason.ConsentWithdrawn, null, Now.AddDays(-1), ["PL"]));
        var restricted = Dataset([], Version(1, Now.AddDays(-5))) with { Status = DatasetStatus.Restricted, Restriction = new Restriction(RestrictionReason.ObjectionPending, null, Now.AddDays(-1)) };
        var copy = Dataset([source.Id, restricted.Id], Version(1, Now.AddDays(-3), (source.Id, 1)), Version(2, Now));
        IReadOnlyList<DerivationSource> sources = [new(source.Id, 1, source), new(restricted.Id, 1, restricted)];
        var published = Of(copy.Id, new DatasetVersionPublished(copy.Id, 2, DatasetApi.Digest2, 1, null, ["pl"], null, Now, ["PL"]));

        var flags = DerivedDatasetFlags.OnLineage(published, copy, sources, Now);

        flags.Select(f => (f.SourceDatasetId, f.SourceVersion, f.Reason, string.Join(",", f.Versions), f.CauseEventId)).ShouldBe([
            (restricted.Id, (int?)null, "dataset-restricted:objection-pending", "1,2", published.Id),
            (source.Id, 2, "dataset-version-withdrawn:consent-withdrawn", "2", published.Id),
        ]);
        var flagged = flags.Aggregate(copy, (d, f) => d.Apply(f));
        DerivedDatasetFlags.OnLineage(published, flagged, sources, Now).ShouldBeEmpty();
        var third = flagged with { Versions = [.. flagged.Versions, Version(3, Now.AddMinutes(1), (source.Id, 1))] };
        // Version 3 names source version 1, so only the restricted source (named by none of its versions) reaches it.
        DerivedDatasetFlags.OnLineage(published, third, sources, Now).ShouldHaveSingleItem().Versions.ShouldBe([3]);
    }

    private static IEvent Of<T>(Guid stream, T data) where T : notnull => new Event<T>(data) { StreamId = stream, Id = Guid.NewGuid() };

    private static Dictionary<Guid, int> Depths(params Dataset[] datasets) => datasets.ToDictionary(d => d.Id, _ => 1);
}
