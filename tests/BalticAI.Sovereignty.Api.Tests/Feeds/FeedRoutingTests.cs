using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Decisions;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Api.Tests.Provenance;
using BalticAI.Sovereignty.Contracts.Feeds;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;

namespace BalticAI.Sovereignty.Api.Tests.Feeds;

/// <summary>Facts registered through the API, and the feeds their ledger events were sealed on.</summary>
public sealed class FeedRoutingTests(FeedBrokerFactory broker) : IClassFixture<FeedBrokerFactory>
{
    [Fact]
    public async Task Grant_events_reach_the_country_of_the_training_system_holding_the_grant()
    {
        await ProvenanceWorld.ActivateTestBundleAsync(broker, "routing-grants");
        var site = await RegisterSiteAsync(broker, $"pl-rt-{Guid.NewGuid():N}"[..20], "PL");
        // A Lithuanian training system runs a job of a Polish operator on a Polish site, on Polish data.
        var job = await RegisterJobAsync(broker, site, commercial: false, TestTenants.LtRegisters);
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);
        var asked = await broker.ClientFor(TestTenants.LtRegisters, Roles.TrainingSystem).PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)));
        asked.StatusCode.ShouldBe(HttpStatusCode.OK, await asked.Content.ReadAsStringAsync());
        var grant = GrantTokens.Remember((await DatasetApi.ReadJsonAsync(asked))["decisions"]![0]!["grant"]!);
        var redeemed = await broker.ClientFor(TestTenants.PlCyfronet, Roles.DataPlane).PostJsonAsync($"/grants/{grant}/redemptions", GrantTokens.Release(grant, 1));
        redeemed.StatusCode.ShouldBe(HttpStatusCode.Created, await redeemed.Content.ReadAsStringAsync());
        var owner = broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner);
        var etag = (await owner.GetAsync($"/datasets/{dataset}")).Headers.ETag!.ToString();
        (await owner.SendAsync(HttpMethod.Post, $"/datasets/{dataset}/withdrawal", """{"reason": "erasure-request"}""", etag)).IsSuccessStatusCode.ShouldBeTrue();

        foreach (var type in new[] { "grant_redeemed", "grant_revoked", "job_grant_revoked" })
        {
            var feeds = await FeedRows.FeedsOfAsync(broker, type, "GrantId", grant);
            feeds.ShouldBe(["EU", "LT", "PL"], ignoreOrder: true, type);
        }
    }

    [Fact]
    public async Task A_delegated_jobs_runs_and_model_versions_reach_the_feed_whose_regulator_reads_them()
    {
        await ProvenanceWorld.ActivateTestBundleAsync(broker, "routing-delegated");
        var site = await RegisterSiteAsync(broker, $"pl-rd-{Guid.NewGuid():N}"[..20], "PL");
        var modelId = $"lt-feed-{Guid.NewGuid():N}"[..20];
        var (job, dataset, _) = await ProvenanceWorld.GrantedJobAsync(broker, site, trainingSystem: TestTenants.LtRegisters);

        var run = await ProvenanceWorld.TrainAsync(broker, job, [ProvenanceWorld.Input(dataset)], ProvenanceWorld.ModelOutput(modelId, "1.0"), TestTenants.LtRegisters);

        (await FeedRows.FeedsOfAsync(broker, "training_run_event_recorded", "RunId", run.ToString())).ShouldBe(["EU", "LT", "PL"], ignoreOrder: true);
        (await FeedRows.FeedsOfAsync(broker, "model_version_registered", "ModelId", modelId)).ShouldBe(["EU", "LT", "PL"], ignoreOrder: true);
        (await broker.ClientFor(TestTenants.LtVdai, Roles.Regulator).GetAsync($"/models/{modelId}/versions/1.0")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await broker.ClientFor(TestTenants.LvDvi, Roles.Regulator).GetAsync($"/models/{modelId}/versions/1.0")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_data_embassy_reaches_the_feed_of_the_state_whose_data_it_keeps()
    {
        var embassy = Site($"lu-ee-{Guid.NewGuid():N}"[..20], "LU");
        embassy["dataEmbassyFor"] = "EE";

        var site = await RegisterSiteAsync(broker, embassy);

        (await FeedRows.FeedsOfAsync(broker, "compute_site_registered", "SiteId", site.ToString())).ShouldBe(["EE", "EU"], ignoreOrder: true);
    }

    [Fact]
    public async Task A_policy_bundle_activation_reaches_every_country_whose_decisions_it_takes()
    {
        await WaitForShippedBundleAsync(broker);

        var digest = await ActivateAsync(broker, Bundle("routing-policy"));

        (await FeedRows.FeedsOfAsync(broker, "policy_bundle_activated", "Digest", digest)).ShouldBe(FeedNames.All, ignoreOrder: true);
    }

    [Fact]
    public async Task A_job_its_decisions_its_closure_and_a_request_refused_after_it_reach_the_feed_of_the_country_its_model_goes_to()
    {
        await ProvenanceWorld.ActivateTestBundleAsync(broker, "routing-recipient");
        var site = await RegisterSiteAsync(broker, $"pl-rr-{Guid.NewGuid():N}"[..20], "PL");

        var job = (await RegisterJobWithRecipientAsync(broker, site, "LV")).ToString();

        (await FeedRows.FeedsOfAsync(broker, "training_job_registered", "JobId", job)).ShouldBe(["EU", "LV", "PL"], ignoreOrder: true);
        var grant = await ProvenanceWorld.GrantAsync(broker, Guid.Parse(job), await RegisterDatasetAsync(broker, researchOnly: false));
        (await FeedRows.FeedsOfAsync(broker, "access_decided", "JobId", job)).ShouldBe(["EU", "LV", "PL"], ignoreOrder: true);
        (await FeedRows.FeedsOfAsync(broker, "grant_issued", "GrantId", grant)).ShouldBe(["EU", "LV", "PL"], ignoreOrder: true);
        (await broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem).PostJsonAsync($"/training-jobs/{job}/closure", new JsonObject { ["outcome"] = "completed" }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        (await FeedRows.FeedsOfAsync(broker, "training_job_closed", "JobId", job)).ShouldBe(["EU", "LV", "PL"], ignoreOrder: true);
        (await FeedRows.FeedsOfAsync(broker, "grant_revoked", "GrantId", grant)).ShouldBe(["EU", "LV", "PL"], ignoreOrder: true);
        (await broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem).PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((await RegisterDatasetAsync(broker, researchOnly: false), 1))))
            .StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await FeedRows.FeedsOfAsync(broker, "access_refused", "JobId", job)).ShouldBe(["EU", "LV", "PL"], ignoreOrder: true);
    }

    [Fact]
    public async Task A_model_version_and_its_runs_reach_the_feed_of_the_country_the_model_goes_to_whose_regulator_reads_it()
    {
        await ProvenanceWorld.ActivateTestBundleAsync(broker, "routing-recipient-model");
        var site = await RegisterSiteAsync(broker, $"pl-rm-{Guid.NewGuid():N}"[..20], "PL");
        var modelId = $"lv-feed-{Guid.NewGuid():N}"[..20];
        var job = await RegisterJobWithRecipientAsync(broker, site, "LV");
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);
        await ProvenanceWorld.RedeemAsync(broker, await ProvenanceWorld.GrantAsync(broker, job, dataset));

        var run = await ProvenanceWorld.TrainAsync(broker, job, [ProvenanceWorld.Input(dataset)], ProvenanceWorld.ModelOutput(modelId, "1.0"));

        (await FeedRows.FeedsOfAsync(broker, "training_run_event_recorded", "RunId", run.ToString())).ShouldBe(["EU", "LV", "PL"], ignoreOrder: true);
        (await FeedRows.FeedsOfAsync(broker, "model_version_registered", "ModelId", modelId)).ShouldBe(["EU", "LV", "PL"], ignoreOrder: true);
        (await broker.ClientFor(TestTenants.LvDvi, Roles.Regulator).GetAsync($"/models/{modelId}/versions/1.0")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await broker.ClientFor(TestTenants.LvDvi, Roles.Regulator).GetAsync($"/models/{modelId}/versions/1.0/provenance")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await broker.ClientFor(TestTenants.EeAki, Roles.Regulator).GetAsync($"/models/{modelId}/versions/1.0")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_delegated_jobs_model_flagged_for_a_withdrawn_dataset_reaches_the_feed_of_the_training_systems_country()
    {
        await ProvenanceWorld.ActivateTestBundleAsync(broker, "routing-delegated-flags");
        var site = await RegisterSiteAsync(broker, $"pl-df-{Guid.NewGuid():N}"[..20], "PL");
        // lt-rc's training system ran pl-cyfronet's job on a Polish site, on Polish data; the Polish owner withdraws it.
        var (job, dataset, _) = await ProvenanceWorld.GrantedJobAsync(broker, site, trainingSystem: TestTenants.LtRegisters);
        await ProvenanceWorld.TrainAsync(broker, job, [ProvenanceWorld.Input(dataset)], ProvenanceWorld.ModelOutput($"lt-flag-{Guid.NewGuid():N}", "1.0"), TestTenants.LtRegisters);
        var owner = broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner);
        var etag = (await owner.GetAsync($"/datasets/{dataset}")).Headers.ETag!.ToString();

        (await owner.SendAsync(HttpMethod.Post, $"/datasets/{dataset}/withdrawal", """{"reason": "erasure-request"}""", etag)).IsSuccessStatusCode.ShouldBeTrue();

        (await FeedRows.FeedsOfAsync(broker, "model_version_flagged", "DatasetId", dataset.ToString())).ShouldBe(["EU", "LT", "PL"], ignoreOrder: true);
    }

    [Fact]
    public async Task A_model_and_a_copy_flagged_for_a_withdrawn_source_dataset_reach_the_feed_of_the_source_country()
    {
        await ProvenanceWorld.ActivateTestBundleAsync(broker, "routing-flags");
        var site = await RegisterSiteAsync(broker, $"pl-rf-{Guid.NewGuid():N}"[..20], "PL");
        // A Polish ministry's corpus of Estonian origin, a cleaned copy kept in Poland, and a model trained on the copy only.
        var estonian = broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner);
        var (source, etag) = await estonian.RegisterAsync(DatasetApi.Terms(title: "Corpus of Estonian origin", country: "EE"));
        (await estonian.PostJsonAsync($"/datasets/{source}/versions", DatasetApi.Version(), etag)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var copy = await ProvenanceWorld.RegisterDerivedAsync(broker, source, "Cleaned Estonian corpus");
        var job = await RegisterJobAsync(broker, site, commercial: false);
        var grant = await ProvenanceWorld.GrantAsync(broker, job, copy);
        await ProvenanceWorld.RedeemAsync(broker, grant);
        await ProvenanceWorld.TrainAsync(broker, job, [ProvenanceWorld.Input(copy)], ProvenanceWorld.ModelOutput($"m-{Guid.NewGuid():N}", "1.0"));

        etag = (await estonian.GetAsync($"/datasets/{source}")).Headers.ETag!.ToString();
        (await estonian.SendAsync(HttpMethod.Post, $"/datasets/{source}/withdrawal", """{"reason": "erasure-request"}""", etag)).IsSuccessStatusCode.ShouldBeTrue();

        (await FeedRows.FeedsOfAsync(broker, "model_version_flagged", "DatasetId", source.ToString())).ShouldBe(["EE", "EU", "PL"], ignoreOrder: true);
        (await FeedRows.FeedsOfAsync(broker, "derived_dataset_flagged", "SourceDatasetId", source.ToString())).ShouldBe(["EE", "EU", "PL"], ignoreOrder: true);
    }

    [Fact]
    public async Task A_model_registered_after_its_source_dataset_was_withdrawn_is_flagged_to_the_feed_of_the_source_country()
    {
        await ProvenanceWorld.ActivateTestBundleAsync(broker, "routing-flags-late");
        var site = await RegisterSiteAsync(broker, $"pl-rl-{Guid.NewGuid():N}"[..20], "PL");
        var owner = broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner);
        var (source, etag) = await owner.RegisterAsync(DatasetApi.Terms(title: "Corpus of Estonian origin", country: "EE"));
        (await owner.PostJsonAsync($"/datasets/{source}/versions", DatasetApi.Version(), etag)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var copy = await ProvenanceWorld.RegisterDerivedAsync(broker, source, "Cleaned Estonian corpus");
        var job = await RegisterJobAsync(broker, site, commercial: false);
        var grant = await ProvenanceWorld.GrantAsync(broker, job, copy);
        await ProvenanceWorld.RedeemAsync(broker, grant);

        // The run read the copy while its grant stood; its COMPLETE, dated then, arrives after the source's withdrawal.
        var run = Guid.NewGuid();
        var start = DateTimeOffset.UtcNow;
        await ProvenanceWorld.ReportOkAsync(broker, ProvenanceWorld.RunEvent("START", run, job, [ProvenanceWorld.Input(copy)], at: start));
        await ProvenanceWorld.ReportOkAsync(broker, ProvenanceWorld.RunEvent("RUNNING", run, job, [ProvenanceWorld.Input(copy)], at: start.AddMilliseconds(1)));
        etag = (await owner.GetAsync($"/datasets/{source}")).Headers.ETag!.ToString();
        (await owner.SendAsync(HttpMethod.Post, $"/datasets/{source}/withdrawal", """{"reason": "erasure-request"}""", etag)).IsSuccessStatusCode.ShouldBeTrue();
        await ProvenanceWorld.ReportOkAsync(broker, ProvenanceWorld.RunEvent("COMPLETE", run, job, [ProvenanceWorld.Input(copy)],
            [ProvenanceWorld.ModelOutput($"m-{Guid.NewGuid():N}", "1.0")], start.AddMilliseconds(2)));

        (await FeedRows.FeedsOfAsync(broker, "model_version_flagged", "DatasetId", source.ToString())).ShouldBe(["EE", "EU", "PL"], ignoreOrder: true);
    }
}
