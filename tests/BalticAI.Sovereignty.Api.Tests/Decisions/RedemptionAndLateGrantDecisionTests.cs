using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Decisions.Grants;
using BalticAI.Sovereignty.Api.Decisions.Grants.RedeemingGrant;
using BalticAI.Sovereignty.Api.Decisions.Grants.Revoking;
using BalticAI.Sovereignty.Api.Provenance.QueryingLineage;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Sites;
using BalticAI.Sovereignty.Api.TrainingJobs;

namespace BalticAI.Sovereignty.Api.Tests.Decisions;

/// <summary>
/// The pure checks behind a release and behind a grant that was recorded after its data changed: both read
/// the data as they stand, so neither waits for a revocation to have been recorded first.
/// </summary>
public sealed class RedemptionAndLateGrantDecisionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    private const string Token = "eyJhbGciOiJFUzI1NiJ9.eyJqdGkiOiJ0ZXN0In0.c2ln";
    private static readonly RedeemGrantEndpoint.RedeemGrant Release = new(4096, DatasetApi.Digest1, Token);

    [Fact]
    public void A_release_of_the_granted_version_from_active_data_is_recorded()
    {
        var (redeemed, refusal) = RedeemGrantEndpoint.Decide(Grant(), Dataset(), [], JobAndSite.Open, Release, Now);

        refusal.ShouldBeNull();
        redeemed!.Bytes.ShouldBe(4096);
    }

    [Fact]
    public void A_release_without_the_grants_own_token_is_403_and_tells_nothing_of_the_grants_state()
    {
        var revoked = Grant() with { Status = GrantStatus.Revoked, RevocationReason = "dataset-withdrawn:erasure-request" };

        var (redeemed, refusal) = RedeemGrantEndpoint.Decide(revoked, Dataset(), [], JobAndSite.Open, Release with { Token = GrantTokens.Unknown }, Now);

        redeemed.ShouldBeNull();
        refusal!.Status.ShouldBe(403);
        refusal.Detail.ShouldNotContain("revoked");
        RedeemGrantEndpoint.Decide(Grant() with { TokenSha256 = null }, Dataset(), [], JobAndSite.Open, Release, Now).Refusal!.Status.ShouldBe(403);
    }

    [Fact]
    public void A_release_from_data_whose_source_was_withdrawn_is_refused_before_any_revocation_is_recorded()
    {
        var source = Dataset() with { Status = DatasetStatus.Withdrawn };

        var (redeemed, refusal) = RedeemGrantEndpoint.Decide(Grant(), Dataset(), [new DerivationSource(source.Id, 2, source)], JobAndSite.Open, Release, Now);

        redeemed.ShouldBeNull();
        refusal!.Status.ShouldBe(409);
        refusal.Detail.ShouldContain($"derives from dataset {source.Id}, which is withdrawn");
    }

    [Fact]
    public void A_release_after_the_owners_terms_ended_is_refused_before_any_revocation_is_recorded()
    {
        var ended = Dataset(expires: new DateOnly(2026, 11, 28));

        var (_, refusal) = RedeemGrantEndpoint.Decide(Grant(), ended, [], JobAndSite.Open, Release, Now);

        refusal!.Status.ShouldBe(409);
        refusal.Detail.ShouldContain("terms ended at 2026-11-28T23:59:59");
    }

    [Fact]
    public void A_release_of_other_bytes_than_the_granted_version_is_422()
    {
        var (redeemed, refusal) = RedeemGrantEndpoint.Decide(Grant(), Dataset(), [], JobAndSite.Open, Release with { Digest = DatasetApi.Digest2 }, Now);

        redeemed.ShouldBeNull();
        refusal!.Status.ShouldBe(422);
        refusal.Detail.ShouldContain("version 1");
    }

    [Fact]
    public void A_release_whose_bytes_no_total_could_hold_is_422_rather_than_a_negative_total()
    {
        // Each release may name up to 2^53 - 1 bytes (the schema); 1,025 of them overflowed the grant's total.
        var nearlyFull = Grant() with { BytesReleased = long.MaxValue - 100 };

        var (redeemed, refusal) = RedeemGrantEndpoint.Decide(nearlyFull, Dataset(), [], JobAndSite.Open, Release, Now);

        redeemed.ShouldBeNull();
        refusal!.Status.ShouldBe(422);
        RedeemGrantEndpoint.Decide(nearlyFull, Dataset(), [], JobAndSite.Open, Release with { Bytes = 100 }, Now).Redeemed.ShouldNotBeNull();
    }

    [Fact]
    public void A_grant_recorded_after_its_data_changed_is_revoked_with_the_reason_of_the_change()
    {
        var withdrawnSource = Dataset() with { Status = DatasetStatus.Withdrawn, Withdrawal = new Withdrawal(WithdrawalReason.ErasureRequest, null, Now) };

        GrantRevoker.ReasonToRevokeIssued(Grant(), Dataset(), [], JobAndSite.Open).ShouldBeNull();
        GrantRevoker.ReasonToRevokeIssued(Grant(), Dataset() with { Status = DatasetStatus.Restricted, Restriction = new Restriction(RestrictionReason.ObjectionPending, null, Now) }, [], JobAndSite.Open)
            .ShouldBe("dataset-restricted:objection-pending");
        GrantRevoker.ReasonToRevokeIssued(Grant(), null, [], JobAndSite.Open).ShouldBe("dataset-withdrawn");
        GrantRevoker.ReasonToRevokeIssued(Grant(), Dataset(), [new DerivationSource(withdrawnSource.Id, 1, withdrawnSource)], JobAndSite.Open).ShouldBe("source-dataset-withdrawn:erasure-request");
        GrantRevoker.ReasonToRevokeIssued(Grant(), Dataset(expires: new DateOnly(2026, 11, 29)), [], JobAndSite.Open).ShouldBe("terms-expire-sooner");
        GrantRevoker.ReasonToRevokeIssued(Grant(), Dataset(expires: new DateOnly(2026, 12, 31)), [], JobAndSite.Open).ShouldBeNull();
    }

    [Fact]
    public void A_grant_on_a_withdrawn_version_is_revoked_as_recorded_and_releases_nothing_while_the_other_versions_do()
    {
        var withdrawn = Dataset().Apply(new DatasetVersionWithdrawn(Guid.NewGuid(), 1, WithdrawalReason.ErasureRequest, null, Now.AddMinutes(-1), ["PL"]));

        GrantRevoker.ReasonToRevokeIssued(Grant(), withdrawn, [], JobAndSite.Open).ShouldBe("dataset-version-withdrawn:erasure-request");
        GrantRevoker.ReasonToRevokeIssued(Grant() with { DatasetVersion = 2 }, withdrawn, [], JobAndSite.Open).ShouldBeNull();
        var (redeemed, refusal) = RedeemGrantEndpoint.Decide(Grant(), withdrawn, [], JobAndSite.Open, Release, Now);
        redeemed.ShouldBeNull();
        refusal!.Status.ShouldBe(409);
        refusal.Detail.ShouldContain("version 1 of the dataset was withdrawn (erasure-request)");
    }

    [Fact]
    public void A_grant_on_a_version_made_from_a_withdrawn_source_version_is_revoked_stamped_by_that_withdrawal_and_releases_nothing()
    {
        var source = Dataset();
        source = source with { Versions = [.. source.Versions, new DatasetVersion(2, DatasetApi.Digest2, 1_000, null, ["pl"], null, Now.AddHours(-20))] };
        source = source.Apply(new DatasetVersionWithdrawn(source.Id, 2, WithdrawalReason.ConsentWithdrawn, null, Now.AddMinutes(-1), ["PL"]));
        var derived = Dataset() with
        {
            Terms = Dataset().Terms with { Lineage = new LineageTerms { DerivedFrom = [source.Id] } },
            Versions =
            [
                new DatasetVersion(1, DatasetApi.Digest1, 1_000, null, ["pl"], null, Now.AddHours(-10)) { DerivedFrom = [new SourceVersion(source.Id, 1)] },
                new DatasetVersion(2, DatasetApi.Digest2, 1_000, null, ["pl"], null, Now.AddHours(-10)) { DerivedFrom = [new SourceVersion(source.Id, 2)] },
                new DatasetVersion(3, DatasetApi.Digest1, 1_000, null, ["pl"], null, Now.AddHours(-10)),
            ],
        };
        IReadOnlyList<DerivationSource> sources = [new(source.Id, 1, source)];

        GrantRevoker.ReasonToRevokeIssued(Grant(), derived, sources, JobAndSite.Open).ShouldBeNull();
        GrantRevoker.ReasonToRevokeIssued(Grant() with { DatasetVersion = 2 }, derived, sources, JobAndSite.Open).ShouldBe("source-dataset-version-withdrawn:consent-withdrawn");
        GrantRevoker.ReasonToRevokeIssued(Grant() with { DatasetVersion = 3 }, derived, sources, JobAndSite.Open).ShouldBe("source-dataset-version-withdrawn:consent-withdrawn");
        GrantRevoker.CauseOf("source-dataset-version-withdrawn:consent-withdrawn", Grant() with { DatasetVersion = 2 }, derived, sources)
            .ShouldBe(new LateCause(source.Id, typeof(DatasetVersionWithdrawn), 2));
        RedeemGrantEndpoint.Decide(Grant(), derived, sources, JobAndSite.Open, Release, Now).Redeemed.ShouldNotBeNull();
        var (redeemed, refusal) = RedeemGrantEndpoint.Decide(Grant() with { DatasetVersion = 2 }, derived, sources, JobAndSite.Open, Release, Now);
        redeemed.ShouldBeNull();
        refusal!.Status.ShouldBe(409);
        refusal.Detail.ShouldContain($"version 2 of the dataset was made from version 2 of dataset {source.Id}, which was withdrawn (consent-withdrawn)");
    }

    [Fact]
    public void A_grant_on_a_suspended_site_is_revoked_as_recorded_and_releases_nothing_before_that()
    {
        var suspended = new JobAndSite(null, new SiteSuspension(SuspensionReason.SecurityIncident, null, Now.AddMinutes(-1)));

        GrantRevoker.ReasonToRevokeIssued(Grant(), Dataset(), [], suspended).ShouldBe("site-suspended:security-incident");
        var (redeemed, refusal) = RedeemGrantEndpoint.Decide(Grant(), Dataset(), [], suspended, Release, Now);
        redeemed.ShouldBeNull();
        refusal!.Status.ShouldBe(409);
        refusal.Detail.ShouldContain("is suspended (security-incident) since 2026-11-29T11:59:00");
    }

    [Fact]
    public void A_grant_of_a_closed_job_is_revoked_as_recorded_and_releases_nothing_before_that()
    {
        var closure = new JobClosure(JobOutcome.Cancelled, Now.AddMinutes(-1));

        GrantRevoker.ReasonToRevokeIssued(Grant(), Dataset(), [], new JobAndSite(closure, null)).ShouldBe("job-closed:cancelled");
        GrantRevoker.ReasonToRevokeIssued(Grant(), null, [], new JobAndSite(closure, null)).ShouldBe("job-closed:cancelled");
        var (redeemed, refusal) = RedeemGrantEndpoint.Decide(Grant(), Dataset(), [], new JobAndSite(closure, null), Release, Now);
        redeemed.ShouldBeNull();
        refusal!.Status.ShouldBe(409);
        refusal.Detail.ShouldContain("was closed (cancelled) at 2026-11-29T11:59:00");
    }

    [Fact]
    public void A_late_revocation_names_the_recorded_change_behind_its_reason_so_it_is_stamped_with_who_made_it()
    {
        var grant = Grant() with { DatasetVersion = 2 };
        var restricted = Dataset() with { Status = DatasetStatus.Restricted };
        var withdrawn = Dataset() with { Status = DatasetStatus.Withdrawn };
        IReadOnlyList<DerivationSource> sources = [new(Guid.NewGuid(), 1, Dataset()), new(restricted.Id, 2, restricted), new(withdrawn.Id, 3, withdrawn)];

        GrantRevoker.CauseOf("job-closed:failed", grant, Dataset(), []).ShouldBe(new LateCause(grant.JobId, typeof(TrainingJobClosed)));
        GrantRevoker.CauseOf("site-suspended:regulator-order", grant, Dataset(), []).ShouldBe(new LateCause(grant.SiteId, typeof(ComputeSiteSuspended)));
        GrantRevoker.CauseOf("dataset-withdrawn", grant, Dataset(), []).ShouldBe(new LateCause(grant.DatasetId, typeof(DatasetWithdrawn)));
        GrantRevoker.CauseOf("dataset-restricted:objection-pending", grant, Dataset(), []).ShouldBe(new LateCause(grant.DatasetId, typeof(DatasetRestricted)));
        GrantRevoker.CauseOf("dataset-version-withdrawn:erasure-request", grant, Dataset(), []).ShouldBe(new LateCause(grant.DatasetId, typeof(DatasetVersionWithdrawn), 2));
        GrantRevoker.CauseOf("source-dataset-restricted:objection-pending", grant, Dataset(), sources).ShouldBe(new LateCause(restricted.Id, typeof(DatasetRestricted)));
        GrantRevoker.CauseOf("source-dataset-withdrawn:erasure-request", grant, Dataset(), sources).ShouldBe(new LateCause(withdrawn.Id, typeof(DatasetWithdrawn)));
        GrantRevoker.CauseOf("terms-expire-sooner", grant, Dataset(), []).ShouldBe(new LateCause(grant.DatasetId, typeof(DatasetTermsAmended)));
        GrantRevoker.CauseOf("expired", grant, Dataset(), []).ShouldBeNull();
        var version = new LateCause(grant.DatasetId, typeof(DatasetVersionWithdrawn), 2);
        version.Matches(new DatasetVersionWithdrawn(grant.DatasetId, 2, WithdrawalReason.ErasureRequest, null, Now, ["PL"])).ShouldBeTrue();
        version.Matches(new DatasetVersionWithdrawn(grant.DatasetId, 1, WithdrawalReason.ErasureRequest, null, Now, ["PL"])).ShouldBeFalse();
    }

    private static Grant Grant() =>
        new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), 1, Guid.NewGuid(), "pl-cyfronet", Now.AddHours(20), [], ["PL"],
            GrantStatus.Active, null, 0, 0) { TokenSha256 = GrantToken.Digest(Token) };

    private static Dataset Dataset(DateOnly? expires = null) => new(
        Guid.NewGuid(), "pl-mc", "PL",
        RecordedDatasets.MinimalTerms(new() { Expires = expires }),
        DatasetStatus.Active, [new DatasetVersion(1, DatasetApi.Digest1, 1_000_000, 250_000, ["pl"], null, Now.AddDays(-1))], null, null, Now.AddDays(-2), Now.AddDays(-1));
}
