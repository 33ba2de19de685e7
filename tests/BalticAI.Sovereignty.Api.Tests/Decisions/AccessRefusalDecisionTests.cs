using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Decisions.PolicyInput;
using BalticAI.Sovereignty.Api.Decisions.RequestingAccess;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Sites;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.TrainingJobs;

namespace BalticAI.Sovereignty.Api.Tests.Decisions;

/// <summary>The pure choice of what stops an access request before the policy, and what each refusal records.</summary>
public sealed class AccessRefusalDecisionTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly TrainingJob OpenJob = new(Guid.NewGuid(), "pl-cyfronet", "pl-cyfronet", "PL", JobPurpose.Research, false, false, false,
        Guid.NewGuid(), "PL", new ModelReference("m", "1", null), null, new ModelRecipient("LV", false), new DateOnly(2026, 12, 1), new DateOnly(2027, 1, 1), Now.AddDays(-2), []);
    private static readonly ComputeSite OpenSite = new(OpenJob.SiteId, "pl-site", "Site", "PL", "pl-cyfronet", [], [], null, Now.AddDays(-3));
    private static readonly TrainingJob ClosedJob = OpenJob with { Closure = new JobClosure(JobOutcome.Cancelled, Now.AddMinutes(-5)) };
    private static readonly ComputeSite SuspendedSite = OpenSite with { Suspension = new SiteSuspension(SuspensionReason.RegulatorOrder, "note", Now.AddMinutes(-1)) };
    private static readonly Withdrawal Erased = new(WithdrawalReason.ErasureRequest, null, Now.AddHours(-1));

    [Fact]
    public void Nothing_stops_a_request_for_versions_in_force_of_an_open_job_on_a_site_in_service()
    {
        AccessRefusals.Of(OpenJob, OpenSite, [Asked(0, OpenJob, OpenSite, "EE", null)]).ShouldBeNull();
    }

    [Fact]
    public void A_closure_refuses_every_asked_version_withdrawn_ones_too_and_comes_before_a_suspension()
    {
        var refused = AccessRefusals.Of(ClosedJob, SuspendedSite, [Asked(0, ClosedJob, SuspendedSite, "EE", null), Asked(1, ClosedJob, SuspendedSite, "PL", Erased)])!;

        refused.Answer.Status.ShouldBe(409);
        refused.Answer.Title.ShouldBe("The job is closed");
        refused.Errors.ShouldBeNull();
        refused.Refused.Select(r => r.Reason).ShouldBe(["job-closed:cancelled", "job-closed:cancelled"]);
        refused.Refused.Select(r => r.RefusalId).Distinct().Count().ShouldBe(2);
        var first = refused.Refused[0];
        (first.JobId, first.SiteId, first.TrainingSystem, first.Version, first.RefusedAt).ShouldBe((ClosedJob.Id, OpenSite.Id, "pl-cyfronet", 1, Now));
        first.Countries.ShouldBe(["EE", "LV", "PL"]);
    }

    [Fact]
    public void A_suspension_refuses_every_asked_version_with_its_reason()
    {
        var refused = AccessRefusals.Of(OpenJob, SuspendedSite, [Asked(0, OpenJob, SuspendedSite, "PL", null)])!;

        refused.Answer.Status.ShouldBe(409);
        refused.Refused.Single().Reason.ShouldBe("site-suspended:regulator-order");
        refused.Answer.Detail.ShouldContain("regulator-order");
        refused.Answer.Detail.ShouldNotContain("note");
    }

    [Fact]
    public void Withdrawn_versions_alone_are_refused_and_named_at_their_place_in_the_request()
    {
        var kept = Asked(0, OpenJob, OpenSite, "PL", null);
        var withdrawn = Asked(1, OpenJob, OpenSite, "EE", Erased);

        var refused = AccessRefusals.Of(OpenJob, OpenSite, [kept, withdrawn])!;

        refused.Answer.Status.ShouldBe(422);
        refused.Refused.Single().DatasetId.ShouldBe(withdrawn.Fact.Dataset.Id);
        refused.Refused.Single().Reason.ShouldBe("dataset-version-withdrawn:erasure-request");
        refused.Errors!.Entries.Keys.ShouldBe(["/datasets/1/version"]);
    }

    private static AskedVersion Asked(int index, TrainingJob job, ComputeSite site, string datasetCountry, Withdrawal? withdrawal)
    {
        var version = new DatasetVersion(1, DatasetApi.Digest1, 1_000, 250, ["pl"], null, Now.AddDays(-1)) { Withdrawal = withdrawal };
        var dataset = new Dataset(Guid.NewGuid(), "pl-mc", datasetCountry, RecordedDatasets.MinimalTerms(new()), DatasetStatus.Active, [version], null, null, Now.AddDays(-2), Now.AddDays(-1));
        var fact = new DecisionFacts(dataset, version, [], job, site, new TenantEntry { Organisation = "pl-cyfronet", Name = "Cyfronet", Country = "PL" },
            new Actor("pl-cyfronet", "PL", "scheduler", "p"), Now, 1);
        return new AskedVersion(index, fact, withdrawal);
    }
}
