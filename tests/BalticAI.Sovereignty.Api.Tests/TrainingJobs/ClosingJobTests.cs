using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Decisions;
using BalticAI.Sovereignty.Api.Decisions.Grants;
using BalticAI.Sovereignty.Api.Decisions.Grants.Revoking;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Ledger;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Decisions;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Api.TrainingJobs;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static BalticAI.Sovereignty.Api.Tests.Decisions.AmendedGrants;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;

namespace BalticAI.Sovereignty.Api.Tests.TrainingJobs;

/// <summary>
/// A closed job holds no grant and moves no byte: its active grants are revoked, its access requests and the releases
/// under its grants refused from the closure's commit, also before the revoker has caught up, and a grant its last
/// decision commits after the closure is revoked as soon as the revoker sees it.
/// </summary>
public sealed class ClosingJobTests(BrokerFactory broker) : IClassFixture<BrokerFactory>, IAsyncLifetime
{
    private const string Revoker = GrantRevoker.SubscriptionName + ":All";
    private Guid _site;

    public async Task InitializeAsync()
    {
        await ActivateAsync(broker, Bundle("closing-1"));
        _site = await RegisterSiteAsync(broker, $"pl-close-{Guid.NewGuid():N}"[..20], "PL");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_closed_job_has_its_grants_revoked_and_asks_and_releases_nothing_more()
    {
        var job = await RegisterJobAsync(broker, _site, commercial: false);
        var (first, second) = (await RegisterDatasetAsync(broker, researchOnly: false), await RegisterDatasetAsync(broker, researchOnly: false));
        var grants = await GrantsAsync(job, first, second);
        var otherJobsGrant = GrantTokens.Remember((await AskForOneAsync(broker, await RegisterJobAsync(broker, _site, commercial: false), first))["grant"]!);
        (await RedeemAsync(broker, grants[0])).StatusCode.ShouldBe(HttpStatusCode.Created);
        // Past the grants' issue, so that the closure revokes them as the closer, not the check of a grant issued late.
        await RevokerPassedAsync(grants[1]);

        var closed = await CloseAsync(TestTenants.PlCyfronet, Roles.TrainingSystem, job, "cancelled");

        var answer = await DatasetApi.ReadJsonAsync(closed);
        closed.StatusCode.ShouldBe(HttpStatusCode.OK, answer.ToJsonString());
        answer["closure"]!["outcome"]!.GetValue<string>().ShouldBe("cancelled");
        var shown = await DatasetApi.ReadJsonAsync(await broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor).GetAsync($"/training-jobs/{job}"));
        shown["closure"]!.ToJsonString().ShouldBe(answer["closure"]!.ToJsonString());
        shown["version"]!.GetValue<long>().ShouldBe(answer["version"]!.GetValue<long>());
        foreach (var grant in grants)
        {
            (await UntilRevokedAsync(broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor), grant))["revocationReason"]!.GetValue<string>().ShouldBe("job-closed:cancelled");
        }
        await using (var session = broker.Services.GetRequiredService<IDocumentStore>().QuerySession())
        {
            var revoked = (await session.Events.FetchStreamAsync(Guid.Parse(grants[1]))).Last();
            revoked.Data.ShouldBeOfType<GrantRevoked>();
            revoked.ReadActor()!.Organisation.ShouldBe("pl-cyfronet");
        }
        var release = await RedeemAsync(broker, grants[0]);
        release.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await DatasetApi.ReadJsonAsync(release))["detail"]!.GetValue<string>().ShouldContain("job-closed:cancelled");
        var decisions = await CountEventsAsync(broker, "access_decided");
        var asked = await broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem).PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((second, 1)));
        asked.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await DatasetApi.ReadJsonAsync(asked))["title"]!.GetValue<string>().ShouldBe("The job is closed");
        (await CountEventsAsync(broker, "access_decided")).ShouldBe(decisions);
        (await RedeemAsync(broker, otherJobsGrant)).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Releases_are_refused_from_the_closures_commit_before_the_revoker_records_anything()
    {
        var job = await RegisterJobAsync(broker, _site, commercial: false);
        var grant = (await GrantsAsync(job, await RegisterDatasetAsync(broker, researchOnly: false)))[0];

        var (release, standing) = await WhileTheRevokerIsStoppedAsync(broker, async () =>
        {
            (await CloseAsync(TestTenants.PlCyfronet, Roles.TrainingSystem, job, "completed")).StatusCode.ShouldBe(HttpStatusCode.OK);
            return (await RedeemAsync(broker, grant), await DatasetApi.ReadJsonAsync(await broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor).GetAsync($"/grants/{grant}")));
        });

        release.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await DatasetApi.ReadJsonAsync(release))["detail"]!.GetValue<string>().ShouldContain($"job {job} was closed (completed)");
        standing["status"]!.GetValue<string>().ShouldBe("active");
        (await UntilRevokedAsync(broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor), grant))["revocationReason"]!.GetValue<string>().ShouldBe("job-closed:completed");
    }

    [Fact]
    public async Task A_grant_committed_after_its_jobs_closure_is_revoked_when_the_revoker_sees_it()
    {
        var job = await RegisterJobAsync(broker, _site, commercial: false);
        var grant = (await GrantsAsync(job, await RegisterDatasetAsync(broker, researchOnly: false)))[0];
        (await CloseAsync(TestTenants.EuAiOffice, Roles.PolicyAdmin, job, "failed")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await UntilRevokedAsync(broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor), grant);

        // A decision that read the job before the closure and committed its grant after it: the same grant, issued again.
        var late = Guid.CreateVersion7();
        await using (var session = broker.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            var issued = (await session.Events.FetchStreamAsync(Guid.Parse(grant))).Select(e => e.Data).OfType<GrantIssued>().Single();
            session.Events.StartStream<Grant>(late, issued with { GrantId = late, DecisionId = Guid.CreateVersion7() });
            await session.SaveChangesAsync();
        }

        (await UntilRevokedAsync(broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor), late.ToString()))["revocationReason"]!.GetValue<string>().ShouldBe("job-closed:failed");
        await using var read = broker.Services.GetRequiredService<IDocumentStore>().QuerySession();
        // Stamped with the PolicyAdmin who closed the job, as the closure's own revocations are, not with the broker.
        (await read.Events.FetchStreamAsync(late)).Last().ReadActor()!.Organisation.ShouldBe("eu-ai-office");
    }

    [Fact]
    public async Task A_closure_by_another_training_system_a_second_closure_an_unknown_job_or_an_unlisted_outcome_records_nothing()
    {
        var job = await RegisterJobAsync(broker, _site, commercial: false);
        var grant = (await GrantsAsync(job, await RegisterDatasetAsync(broker, researchOnly: false)))[0];

        var foreign = await CloseAsync(TestTenants.PlSpeakLeash, Roles.TrainingSystem, job, "cancelled");
        var unlisted = await CloseAsync(TestTenants.PlCyfronet, Roles.TrainingSystem, job, "paused");
        var unknown = await CloseAsync(TestTenants.PlCyfronet, Roles.TrainingSystem, Guid.NewGuid(), "cancelled");

        foreign.StatusCode.ShouldBe(HttpStatusCode.Forbidden, await foreign.Content.ReadAsStringAsync());
        unlisted.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await unlisted.Content.ReadAsStringAsync());
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound, await unknown.Content.ReadAsStringAsync());
        (await RedeemAsync(broker, grant)).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await CloseAsync(TestTenants.PlCyfronet, Roles.TrainingSystem, job, "completed")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var again = await CloseAsync(TestTenants.EuAiOffice, Roles.PolicyAdmin, job, "cancelled");
        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await DatasetApi.ReadJsonAsync(again))["detail"]!.GetValue<string>().ShouldContain("was closed (completed)");
        await using var session = broker.Services.GetRequiredService<IDocumentStore>().QuerySession();
        (await session.Events.FetchStreamAsync(job)).Count(e => e.Data is TrainingJobClosed).ShouldBe(1);
    }

    [Fact]
    public async Task A_closure_retried_with_its_Idempotency_Key_gets_the_first_answer_and_records_one()
    {
        var job = await RegisterJobAsync(broker, _site, commercial: false);
        var key = Guid.NewGuid().ToString();
        var training = broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem);

        var first = await training.PostJsonAsync($"/training-jobs/{job}/closure", new JsonObject { ["outcome"] = "completed" }, idempotencyKey: key);
        var retried = await training.PostJsonAsync($"/training-jobs/{job}/closure", new JsonObject { ["outcome"] = "completed" }, idempotencyKey: key);

        first.StatusCode.ShouldBe(HttpStatusCode.OK, await first.Content.ReadAsStringAsync());
        retried.StatusCode.ShouldBe(HttpStatusCode.OK, await retried.Content.ReadAsStringAsync());
        retried.Headers.Contains("Idempotent-Replayed").ShouldBeTrue();
        (await retried.Content.ReadAsStringAsync()).ShouldBe(await first.Content.ReadAsStringAsync());
        await using var session = broker.Services.GetRequiredService<IDocumentStore>().QuerySession();
        (await session.Events.FetchStreamAsync(job)).Count(e => e.Data is TrainingJobClosed).ShouldBe(1);
    }

    [Fact]
    public async Task A_job_and_site_stored_before_their_versions_were_kept_release_until_the_job_is_closed()
    {
        // A site of its own: the class's other tests decide on theirs.
        var site = await RegisterSiteAsync(broker, $"pl-legacy-{Guid.NewGuid():N}"[..20], "PL");
        var job = await RegisterJobAsync(broker, site, commercial: false);
        var grant = (await GrantsAsync(job, await RegisterDatasetAsync(broker, researchOnly: false)))[0];
        await using (var connection = new NpgsqlConnection(TestServices.PostgresConnectionString))
        {
            await connection.OpenAsync();
            await using var strip = new NpgsqlCommand(
                $"update {broker.Schema}.mt_doc_trainingjob set data = data - 'Version' where id = @job; update {broker.Schema}.mt_doc_computesite set data = data - 'Version' where id = @site",
                connection);
            strip.Parameters.AddWithValue("job", job);
            strip.Parameters.AddWithValue("site", site);
            (await strip.ExecuteNonQueryAsync()).ShouldBe(2);
        }

        (await DatasetApi.ReadJsonAsync(await broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor).GetAsync($"/training-jobs/{job}")))["version"]!.GetValue<long>().ShouldBe(1);
        (await RedeemAsync(broker, grant)).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await CloseAsync(TestTenants.PlCyfronet, Roles.TrainingSystem, job, "completed")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await RedeemAsync(broker, grant)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    /// <summary>Until the grant revoker's progress passes the grant's `GrantIssued`; fails after 20 s.</summary>
    private async Task RevokerPassedAsync(string grant)
    {
        await using var connection = new NpgsqlConnection(TestServices.PostgresConnectionString);
        await connection.OpenAsync();
        await using var passed = new NpgsqlCommand(
            $"select coalesce((select last_seq_id from {broker.Schema}.mt_event_progression where name = @revoker), 0) >= (select seq_id from {broker.Schema}.mt_events where stream_id = @grant and type = 'grant_issued')",
            connection);
        passed.Parameters.AddWithValue("revoker", Revoker);
        passed.Parameters.AddWithValue("grant", Guid.Parse(grant));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!(bool)(await passed.ExecuteScalarAsync())!)
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, $"the grant revoker did not pass grant {grant} within 20 s");
            await Task.Delay(50);
        }
    }

    private Task<HttpResponseMessage> CloseAsync(string tenant, string role, Guid job, string outcome) =>
        broker.ClientFor(tenant, role).PostJsonAsync($"/training-jobs/{job}/closure", new JsonObject { ["outcome"] = outcome });

    /// <summary>One allowed request of the job for version 1 of each dataset; the grants' ids, their tokens remembered.</summary>
    private async Task<List<string>> GrantsAsync(Guid job, params Guid[] datasets)
    {
        var asked = await broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem)
            .PostJsonAsync($"/training-jobs/{job}/access-requests", Ask([.. datasets.Select(d => (d, 1))]));
        var decisions = (await DatasetApi.ReadJsonAsync(asked))["decisions"]!.AsArray();
        decisions.Count.ShouldBe(datasets.Length);
        return [.. decisions.Select(d => GrantTokens.Remember(d!["grant"]!))];
    }
}
