using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Decisions;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Provenance.ProvenanceWorld;

namespace BalticAI.Sovereignty.Api.Tests.Provenance;

public sealed class PropagationTests(BrokerFactory broker) : IClassFixture<BrokerFactory>, IAsyncLifetime
{
    private Guid _site;

    public async Task InitializeAsync()
    {
        await ActivateTestBundleAsync(broker, "provenance-3");
        _site = await RegisterSiteAsync(broker, $"pl-flag-{Guid.NewGuid():N}"[..20], "PL");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Withdrawing_a_dataset_flags_every_model_version_downstream_once_including_later_fine_tunes()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (baseJob, withdrawn, _) = await GrantedJobAsync(broker, _site);
        await TrainAsync(broker, baseJob, [Input(withdrawn)], ModelOutput($"base-{suffix}", "1"));
        var (tuneJob, other, _) = await GrantedJobAsync(broker, _site);
        await TrainAsync(broker, tuneJob, [Input(other)], ModelOutput($"tune-{suffix}", "1", ($"base-{suffix}", "1")));
        var flagsBefore = await CountEventsAsync(broker, "model_version_flagged");
        var owner = broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner);
        var etag = (await owner.GetAsync($"/datasets/{withdrawn}")).Headers.ETag!.ToString();

        var withdrawal = await owner.SendAsync(HttpMethod.Post, $"/datasets/{withdrawn}/withdrawal", """{"reason": "erasure-request"}""", etag);

        withdrawal.IsSuccessStatusCode.ShouldBeTrue(await withdrawal.Content.ReadAsStringAsync());
        var auditor = broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor);
        var tune = await FlaggedAsync(auditor, $"tune-{suffix}");
        tune["flags"]!.AsArray().Single()!["reason"]!.GetValue<string>().ShouldBe("dataset-withdrawn:erasure-request");
        tune["flags"]![0]!["depth"]!.GetValue<int>().ShouldBe(1);
        (await FlaggedAsync(auditor, $"base-{suffix}"))["flags"]![0]!["datasetId"]!.GetValue<string>().ShouldBe(withdrawn.ToString());
        var lineage = await DatasetApi.ReadJsonAsync(await auditor.GetAsync($"/datasets/{withdrawn}/lineage"));
        lineage["status"]!.GetValue<string>().ShouldBe("withdrawn");
        lineage["modelVersions"]!.AsArray().ShouldAllBe(m => m!["flags"]!.AsArray().Count == 1);

        // A fine-tune of a flagged model, registered after the withdrawal, is flagged as it is registered.
        var (lateJob, third, _) = await GrantedJobAsync(broker, _site);
        await TrainAsync(broker, lateJob, [Input(third)], ModelOutput($"late-{suffix}", "1", ($"tune-{suffix}", "1")));
        var late = await DatasetApi.ReadJsonAsync(await auditor.GetAsync($"/models/late-{suffix}/versions/1"));
        late["flags"]!.AsArray().Single()!["depth"]!.GetValue<int>().ShouldBe(2);
        (await CountEventsAsync(broker, "model_version_flagged")).ShouldBe(flagsBefore + 3);
    }

    [Fact]
    public async Task Withdrawing_a_source_flags_models_trained_on_datasets_derived_from_it_and_revokes_their_grants()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var source = await RegisterDatasetAsync(broker, researchOnly: false);
        var derived = await RegisterDerivedAsync(broker, source, $"Cleaned corpus {suffix}");
        var owner = broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner);
        var trained = await RegisterJobAsync(broker, _site, commercial: false);
        await RedeemAsync(broker, await GrantAsync(broker, trained, derived));
        await TrainAsync(broker, trained, [Input(derived)], ModelOutput($"cleaned-{suffix}", "1"));
        var waiting = await RegisterJobAsync(broker, _site, commercial: false);
        var unused = await GrantAsync(broker, waiting, derived);
        var (otherJob, unrelated, unrelatedGrant) = await GrantedJobAsync(broker, _site);
        await TrainAsync(broker, otherJob, [Input(unrelated)], ModelOutput($"unrelated-{suffix}", "1"));
        var lateRun = Guid.NewGuid();
        var lateStart = DateTimeOffset.UtcNow;
        await ReportOkAsync(broker, RunEvent("START", lateRun, trained, [Input(derived)], at: lateStart));
        await ReportOkAsync(broker, RunEvent("RUNNING", lateRun, trained, [Input(derived)], at: lateStart.AddSeconds(1)));
        var etag = (await owner.GetAsync($"/datasets/{source}")).Headers.ETag!.ToString();

        var withdrawal = await owner.SendAsync(HttpMethod.Post, $"/datasets/{source}/withdrawal", """{"reason": "erasure-request"}""", etag);

        withdrawal.IsSuccessStatusCode.ShouldBeTrue(await withdrawal.Content.ReadAsStringAsync());
        var auditor = broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor);
        var flag = (await FlaggedAsync(auditor, $"cleaned-{suffix}"))["flags"]!.AsArray().Single()!;
        flag["datasetId"]!.GetValue<string>().ShouldBe(source.ToString());
        flag["reason"]!.GetValue<string>().ShouldBe("dataset-withdrawn:erasure-request");
        flag["depth"]!.GetValue<int>().ShouldBe(1);
        var copyFlag = (await DatasetApi.ReadJsonAsync(await auditor.GetAsync($"/datasets/{derived}")))["flags"]!.AsArray().Single()!;
        (copyFlag["sourceDatasetId"]!.GetValue<Guid>(), copyFlag["sourceVersion"], copyFlag["versions"]!.ToJsonString(), copyFlag["reason"]!.GetValue<string>(), copyFlag["depth"]!.GetValue<int>())
            .ShouldBe((source, (JsonNode?)null, "[1]", "dataset-withdrawn:erasure-request", 1));
        // The data plane keeps redeeming while the revocation is on its way: a redemption landing between
        // the revoker's read and its commit must make it read again, not drop the revocation.
        var dataPlane = broker.ClientFor(TestTenants.PlCyfronet, Roles.DataPlane);
        HttpResponseMessage? refused = null;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            refused = await dataPlane.PostJsonAsync($"/grants/{unused}/redemptions", GrantTokens.Release(unused, 1, DatasetApi.Digest1));
            // Refused at once (the source is read as it stands), then for the recorded revocation.
            if (refused.StatusCode != HttpStatusCode.Created && (await refused.Content.ReadAsStringAsync()).Contains("was revoked", StringComparison.Ordinal))
            {
                break;
            }
            await Task.Delay(100);
        }
        refused!.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("source-dataset-withdrawn:erasure-request");
        var waitingJob = await DatasetApi.ReadJsonAsync(await TrainingSystem(broker).GetAsync($"/training-jobs/{waiting}"));
        waitingJob["revokedGrants"]!.AsArray().Select(g => g!.GetValue<string>()).ShouldContain(unused);
        (await DatasetApi.ReadJsonAsync(await auditor.GetAsync($"/models/unrelated-{suffix}/versions/1")))["flags"]!.AsArray().ShouldBeEmpty();
        // A run that was reading the derived dataset may still complete; its model version is flagged as it is registered.
        await ReportOkAsync(broker, RunEvent("COMPLETE", lateRun, trained, [Input(derived)], [ModelOutput($"late-cleaned-{suffix}", "1")], lateStart.AddMinutes(5)));
        var late = (await DatasetApi.ReadJsonAsync(await auditor.GetAsync($"/models/late-cleaned-{suffix}/versions/1")))["flags"]!.AsArray().Single()!;
        late["datasetId"]!.GetValue<string>().ShouldBe(source.ToString());
        late["reason"]!.GetValue<string>().ShouldBe("dataset-withdrawn:erasure-request");
        late["depth"]!.GetValue<int>().ShouldBe(1);
        (await dataPlane.PostJsonAsync($"/grants/{unrelatedGrant}/redemptions", GrantTokens.Release(unrelatedGrant, 1, DatasetApi.Digest1)))
            .StatusCode.ShouldBe(HttpStatusCode.Created, "a grant on a dataset outside the withdrawn one's lineage stays valid");
    }

    [Fact]
    public async Task After_a_withdrawal_revokes_its_grant_a_run_still_reading_the_dataset_is_refused_but_may_complete()
    {
        var (job, dataset, _) = await GrantedJobAsync(broker, _site);
        var run = Guid.NewGuid();
        var start = DateTimeOffset.UtcNow;
        await ReportOkAsync(broker, RunEvent("RUNNING", run, job, [Input(dataset)], at: start));
        var owner = broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner);
        var etag = (await owner.GetAsync($"/datasets/{dataset}")).Headers.ETag!.ToString();
        (await owner.SendAsync(HttpMethod.Post, $"/datasets/{dataset}/withdrawal", """{"reason": "consent-withdrawn"}""", etag)).IsSuccessStatusCode.ShouldBeTrue();

        HttpResponseMessage? refused = null;
        var clock = Stopwatch.StartNew();
        for (var second = 1; clock.Elapsed < TimeSpan.FromSeconds(20); second++)
        {
            refused = await ReportAsync(broker, RunEvent("RUNNING", run, job, [Input(dataset)], at: start.AddSeconds(second)));
            if (refused.StatusCode != HttpStatusCode.OK)
            {
                break;
            }
            await Task.Delay(100);
        }
        var completed = await ReportAsync(broker, RunEvent("COMPLETE", run, job, [Input(dataset)], at: start.AddMinutes(5)));

        refused!.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await DatasetApi.ReadJsonAsync(refused))["errors"]!["/inputs/0"]![0]!.GetValue<string>().ShouldContain("dataset-withdrawn:consent-withdrawn");
        completed.StatusCode.ShouldBe(HttpStatusCode.OK, "a final report accounts for bytes released before the revocation");
    }
}
