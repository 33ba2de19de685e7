using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Api.Tests.Ledger;
using BalticAI.Sovereignty.Api.Tests.Provenance;
using BalticAI.Sovereignty.Api.Tests.Sites;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Ledger.LedgerEventsApi;
using static BalticAI.Sovereignty.Api.Tests.Platform.ProblemAndOpenApiTests;

namespace BalticAI.Sovereignty.Api.Tests.TrainingJobs;

/// <summary>`GET /training-jobs/{id}/decisions`: which grants of a job were issued, released and revoked.</summary>
[Collection(LedgerCollection.Name)]
public sealed class ListingJobDecisionsTests(BrokerFactory broker) : IClassFixture<BrokerFactory>
{
    private static readonly string[] Lifecycle = ["access_decided", "grant_issued", "grant_redeemed", "grant_revoked"];

    [Fact]
    public async Task The_training_system_reads_its_jobs_decisions_and_grant_lifecycle_page_by_page_without_another_jobs()
    {
        var (job, grant, otherJob) = await RevokedAsync("job-decisions-own", "PL");
        var trainer = ProvenanceWorld.TrainingSystem(broker);

        var items = Items(await PageAsync(trainer, "", Path(job)));
        var pages = new List<ListedPage>();
        for (var next = Path(job) + "?limit=1"; next is not null; next = pages[^1].Next)
        {
            var page = await PageAsync(trainer, "", next);
            pages.Add(new ListedPage(Items(page), page["next"]?.GetValue<string>()));
        }
        var stands = Items(await PageAsync(trainer, "?type=GrantIssued,GrantRevoked", Path(job)));
        var auditor = Items(await PageAsync(Auditor(broker), "", Path(job)));
        var others = Items(await PageAsync(trainer, "", Path(otherJob)));

        items.Select(Type).ShouldBe(Lifecycle);
        // A release names only its grant; the index gives it the grant's job.
        items.Take(2).Concat(items.Skip(3)).ShouldAllBe(i => i["data"]!["jobId"]!.GetValue<string>() == job.ToString());
        items.Skip(1).ShouldAllBe(i => i["data"]!["grantId"]!.GetValue<string>() == grant);
        items[2]["data"]!["bytes"]!.GetValue<long>().ShouldBe(1000);
        pages.Select(p => p.Items.Count).ShouldBe([1, 1, 1, 1]);
        pages.SelectMany(p => p.Items).Select(EventId).ShouldBe(items.Select(EventId));
        stands.Select(Type).ShouldBe(["grant_issued", "grant_revoked"]);
        auditor.Select(EventId).ShouldBe(items.Select(EventId));
        others.Select(Type).ShouldBe(["access_decided", "grant_issued", "grant_revoked"]);
        others.Select(EventId).ShouldNotContain(id => items.Select(EventId).Contains(id));
    }

    [Fact]
    public async Task Another_training_system_and_a_data_owner_get_403_an_unknown_job_404()
    {
        var (job, _, _) = await RevokedAsync("job-decisions-others", "PL");

        var otherTrainer = await ProvenanceWorld.TrainingSystem(broker, TestTenants.LtRegisters).GetAsync(Path(job));
        var owner = await broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner).GetAsync(Path(job));
        var unknown = await ProvenanceWorld.TrainingSystem(broker).GetAsync(Path(Guid.NewGuid()));

        (await ShouldBeProblemAsync(otherTrainer, HttpStatusCode.Forbidden))["detail"]!.GetValue<string>().ShouldContain("own training system");
        await ShouldBeProblemAsync(owner, HttpStatusCode.Forbidden);
        await ShouldBeProblemAsync(unknown, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_regulator_of_the_sites_country_reads_the_job_decisions_listing_its_country_another_countrys_gets_404()
    {
        var (job, _, _) = await RevokedAsync("job-decisions-regulator", "LT");

        var lithuanian = Items(await PageAsync(broker.ClientFor(TestTenants.LtVdai, Roles.Regulator), "", Path(job)));
        var estonian = await broker.ClientFor(TestTenants.EeAki, Roles.Regulator).GetAsync(Path(job));

        lithuanian.Select(Type).ShouldBe(Lifecycle);
        lithuanian.ShouldAllBe(i => i["countries"]!.AsArray().Any(c => c!.GetValue<string>() == "LT"));
        await ShouldBeProblemAsync(estonian, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("?type=JobGrantRevoked", "type")]
    [InlineData("?type=TrainingJobRegistered", "type")]
    [InlineData("?job=0195f0c8-0000-7000-8000-000000000001", "job")]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=abc", "limit")]
    [InlineData("?from=yesterday", "from")]
    [InlineData("?to=2026-13-01", "to")]
    [InlineData("?cursor=not-ours", "cursor")]
    public async Task A_filter_outside_the_jobs_decisions_is_400_naming_the_parameter(string query, string parameter)
    {
        var job = await RegisterJobAsync(broker, await RegisterSiteAsync(broker, $"pl-jd-{Guid.NewGuid():N}"[..18], "PL"), commercial: false);

        var response = await ProvenanceWorld.TrainingSystem(broker).GetAsync(Path(job) + query);

        var problem = await ShouldBeProblemAsync(response, HttpStatusCode.BadRequest);
        ShouldNameInvalidQuery(problem, parameter);
    }

    [Fact]
    public async Task Several_bad_parameters_are_named_at_once()
    {
        var job = await RegisterJobAsync(broker, await RegisterSiteAsync(broker, $"pl-jd-{Guid.NewGuid():N}"[..18], "PL"), commercial: false);

        var response = await ProvenanceWorld.TrainingSystem(broker).GetAsync(Path(job) + "?from=yesterday&cursor=not-ours");

        var errors = ShouldNameInvalidQuery(await ShouldBeProblemAsync(response, HttpStatusCode.BadRequest), "from", "cursor");
        errors["cursor"].ShouldBe(["is not a cursor this API issued"]);
    }

    private static string Path(Guid job) => $"/training-jobs/{job}/decisions";

    private static string EventId(JsonObject item) => item["eventId"]!.GetValue<string>();

    /// <summary>
    /// A job at a site in <paramref name="siteCountry"/> whose grant was redeemed and then revoked by the dataset's
    /// withdrawal, and another job of the same training system granted the same dataset (revoked with it). Returns
    /// once /ledger/events lists both jobs' revocations, so the other job's events are in the index when a test reads the first.
    /// </summary>
    private async Task<(Guid Job, string Grant, Guid OtherJob)> RevokedAsync(string revision, string siteCountry)
    {
        await ProvenanceWorld.ActivateTestBundleAsync(broker, revision);
        var site = await RegisterSiteAsync(broker, $"{siteCountry.ToLowerInvariant()}-jd-{Guid.NewGuid():N}"[..18], siteCountry);
        var (job, dataset, grant) = await ProvenanceWorld.GrantedJobAsync(broker, site);
        var otherJob = await RegisterJobAsync(broker, site, commercial: false);
        await ProvenanceWorld.GrantAsync(broker, otherJob, dataset);
        await SiteGrantsApi.WithdrawAsync(broker, dataset);
        foreach (var revoked in new[] { job, otherJob })
        {
            await WaitForAsync(Auditor(broker), $"?job={revoked}&type=GrantRevoked", i => i.Count == 1);
        }
        return (job, grant, otherJob);
    }

    private sealed record ListedPage(List<JsonObject> Items, string? Next);
}
