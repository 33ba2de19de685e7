using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Provenance.QueryingLineage;
using static BalticAI.Sovereignty.Api.Tests.Provenance.LineageStates;

namespace BalticAI.Sovereignty.Api.Tests.Provenance;

/// <summary>Which source versions a derived version came from: those it names, else every one published by then.</summary>
public sealed class VersionLineageTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_version_that_names_its_source_versions_came_from_those_only()
    {
        var source = Dataset([], Version(1, Monday), Version(2, Monday.AddDays(1)));
        var derived = Dataset([source.Id], Version(1, Monday.AddDays(2), (source.Id, 1)));

        var ancestors = VersionLineage.Of(derived, 1, [new DerivationSource(source.Id, 1, source)]);

        ancestors.Select(a => (a.DatasetId, a.Version, a.Distance)).ShouldBe([(source.Id, (int?)1, 1)]);
    }

    [Fact]
    public void A_version_that_names_none_came_from_every_source_version_published_by_its_own_publication()
    {
        var source = Dataset([], Version(1, Monday), Version(2, Monday.AddDays(1)), Version(3, Monday.AddDays(3)));
        var derived = Dataset([source.Id], Version(1, Monday.AddHours(1)), Version(2, Monday.AddDays(2)));
        var known = Known(source, derived);

        VersionLineage.Of(derived.Id, 1, known).Select(a => a.Version).ShouldBe([1]);
        VersionLineage.Of(derived.Id, 2, known).Select(a => a.Version).ShouldBe([1, 2]);
        VersionLineage.DerivesFrom(derived.Id, 2, source.Id, 2, known).ShouldBeTrue();
        VersionLineage.DerivesFrom(derived.Id, 2, source.Id, 3, known).ShouldBeFalse();
        VersionLineage.DerivesFrom(derived.Id, 1, source.Id, 2, known).ShouldBeFalse();
    }

    [Fact]
    public void A_source_without_a_version_by_then_is_listed_without_one_and_its_status_still_counts()
    {
        var source = Dataset([], Version(1, Monday.AddDays(5))) with { Status = DatasetStatus.Restricted };
        var derived = Dataset([source.Id], Version(1, Monday));

        var ancestor = VersionLineage.Of(derived.Id, 1, Known(source, derived)).ShouldHaveSingleItem();

        ancestor.Version.ShouldBeNull();
        ancestor.Status.ShouldBe("restricted");
        ancestor.VersionWithdrawal.ShouldBeNull();
    }

    [Fact]
    public void Lineage_is_followed_through_derived_versions_to_the_versions_they_came_from()
    {
        var grandparent = Dataset([], Version(1, Monday), Version(2, Monday.AddDays(1)))
            .Apply(new DatasetVersionWithdrawn(Guid.Empty, 2, WithdrawalReason.ErasureRequest, null, Monday.AddDays(4), ["PL"]));
        var parent = Dataset([grandparent.Id], Version(1, Monday.AddDays(2), (grandparent.Id, 1)), Version(2, Monday.AddDays(2), (grandparent.Id, 2)));
        var child = Dataset([parent.Id], Version(1, Monday.AddDays(3), (parent.Id, 1)), Version(2, Monday.AddDays(3), (parent.Id, 2)));
        var known = Known(grandparent, parent, child);

        var first = VersionLineage.Of(child.Id, 1, known);
        var second = VersionLineage.Of(child.Id, 2, known);

        first.Select(a => (a.DatasetId, a.Version, a.Distance, a.Status)).ShouldBe([(parent.Id, (int?)1, 1, "active"), (grandparent.Id, 1, 2, "active")]);
        second.Select(a => (a.DatasetId, a.Version, a.Distance, a.Status)).ShouldBe([(parent.Id, (int?)2, 1, "active"), (grandparent.Id, 2, 2, "withdrawn")]);
        second[1].VersionWithdrawal!.Reason.ShouldBe(WithdrawalReason.ErasureRequest);
        VersionLineage.DerivesFrom(child.Id, 2, grandparent.Id, 2, known).ShouldBeTrue();
        VersionLineage.DerivesFrom(child.Id, 1, grandparent.Id, 2, known).ShouldBeFalse();
    }

    [Fact]
    public void A_cycle_made_by_later_amended_terms_ends_and_each_version_is_listed_once_at_its_nearest()
    {
        var a = Dataset([], Version(1, Monday));
        var b = Dataset([a.Id], Version(1, Monday.AddDays(1)));
        a = a with { Terms = a.Terms with { Lineage = new LineageTerms { DerivedFrom = [b.Id] } } };
        var c = Dataset([a.Id, b.Id], Version(1, Monday.AddDays(2)));

        var ancestors = VersionLineage.Of(c.Id, 1, Known(a, b, c));

        // a's version 1 came before any of b's, so b counts for it by its status alone (no version).
        ancestors.Select(x => (x.DatasetId, x.Version, x.Distance)).ShouldBe([(a.Id, (int?)1, 1), (b.Id, 1, 1), (b.Id, null, 2)]);
        VersionLineage.Of(c, 1, []).ShouldBeEmpty();
    }
}
