using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Decisions;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Provenance.ProvenanceWorld;

namespace BalticAI.Sovereignty.Api.Tests.Datasets;

/// <summary>
/// An erasure usually concerns some records: the owner publishes a version without them and withdraws the one that
/// holds them. That version's grants, requests, releases and models follow; the dataset's other versions do not.
/// </summary>
public sealed class WithdrawingVersionTests(BrokerFactory broker) : IClassFixture<BrokerFactory>, IAsyncLifetime
{
    private const string Erased = """{"reason": "erasure-request", "note": "records of one municipality erased on request"}""";
    private Guid _site;

    public async Task InitializeAsync()
    {
        await ActivateTestBundleAsync(broker, "version-withdrawal-1");
        _site = await RegisterSiteAsync(broker, $"pl-vw-{Guid.NewGuid():N}"[..20], "PL");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_withdrawn_version_loses_its_grants_requests_releases_and_models_while_the_next_version_goes_on()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var dataset = await TwoVersionsAsync();
        var trainedOnFirst = await RegisterJobAsync(broker, _site, commercial: false);
        var firstGrant = await GrantAsync(broker, trainedOnFirst, dataset, version: 1);
        await RedeemAsync(broker, firstGrant);
        await TrainAsync(broker, trainedOnFirst, [Input(dataset, 1)], ModelOutput($"first-{suffix}", "1"));
        var trainedOnSecond = await RegisterJobAsync(broker, _site, commercial: false);
        var secondGrant = await GrantAsync(broker, trainedOnSecond, dataset, version: 2);
        (await ReleaseAsync(secondGrant, DatasetApi.Digest2)).StatusCode.ShouldBe(HttpStatusCode.Created);
        await TrainAsync(broker, trainedOnSecond, [Input(dataset, 2)], ModelOutput($"second-{suffix}", "1"));
        var waiting = await RegisterJobAsync(broker, _site, commercial: false);
        var waitingGrant = await GrantAsync(broker, waiting, dataset, version: 1);

        var withdrawn = await WithdrawAsync(dataset, 1, Erased);

        var answer = await DatasetApi.ReadJsonAsync(withdrawn);
        withdrawn.StatusCode.ShouldBe(HttpStatusCode.OK, answer.ToJsonString());
        withdrawn.Headers.ETag!.ToString().ShouldBe("\"4\"");
        answer["number"]!.GetValue<int>().ShouldBe(1);
        answer["withdrawal"]!["reason"]!.GetValue<string>().ShouldBe("erasure-request");
        var auditor = broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor);
        var versions = (await DatasetApi.ReadJsonAsync(await auditor.GetAsync($"/datasets/{dataset}/versions"))).AsArray();
        versions[0]!["withdrawal"]!.ToJsonString().ShouldBe(answer["withdrawal"]!.ToJsonString());
        versions[1]!["withdrawal"].ShouldBeNull();
        (await DatasetApi.ReadJsonAsync(await auditor.GetAsync($"/datasets/{dataset}")))["status"]!.GetValue<string>().ShouldBe("active");
        (await UntilRevokedAsync(auditor, waitingGrant))["revocationReason"]!.GetValue<string>().ShouldBe("dataset-version-withdrawn:erasure-request");
        (await UntilRevokedAsync(auditor, firstGrant))["revocationReason"]!.GetValue<string>().ShouldBe("dataset-version-withdrawn:erasure-request");
        var refused = await ReleaseAsync(waitingGrant, DatasetApi.Digest1);
        refused.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var asked = await broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem).PostJsonAsync($"/training-jobs/{waiting}/access-requests", Ask((dataset, 1)));
        asked.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await asked.Content.ReadAsStringAsync()).ShouldContain($"version 1 of dataset {dataset} was withdrawn (erasure-request)");
        (await AskForOneAsync(broker, waiting, dataset, version: 2))["allowed"]!.GetValue<bool>().ShouldBeTrue();
        (await ReleaseAsync(secondGrant, DatasetApi.Digest2)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var first = await FlaggedAsync(auditor, $"first-{suffix}");
        first["flags"]!.AsArray().Single()!["reason"]!.GetValue<string>().ShouldBe("dataset-version-withdrawn:erasure-request");

        // A model version reported after the withdrawal, trained on the withdrawn version before it, is flagged as it is registered.
        var run = Guid.NewGuid();
        var start = DateTimeOffset.UtcNow;
        await ReportOkAsync(broker, RunEvent("START", run, trainedOnFirst, [Input(dataset, 1)], at: start));
        await ReportOkAsync(broker, RunEvent("COMPLETE", run, trainedOnFirst, [Input(dataset, 1)], [ModelOutput($"late-{suffix}", "1")], start.AddSeconds(1)));
        var late = await DatasetApi.ReadJsonAsync(await auditor.GetAsync($"/models/late-{suffix}/versions/1"));
        late["flags"]!.AsArray().Single()!["reason"]!.GetValue<string>().ShouldBe("dataset-version-withdrawn:erasure-request");
        (await DatasetApi.ReadJsonAsync(await auditor.GetAsync($"/models/second-{suffix}/versions/1")))["flags"]!.AsArray().ShouldBeEmpty();
        (await DatasetApi.ReadJsonAsync(await auditor.GetAsync($"/grants/{secondGrant}")))["status"]!.GetValue<string>().ShouldBe("active");
        var prov = await DatasetApi.ReadJsonAsync(await auditor.GetAsync($"/datasets/{dataset}/prov"));
        var invalidated = prov["wasInvalidatedBy"]!.AsObject().Select(r => r.Value!["prov:entity"]!.GetValue<string>()).ToList();
        invalidated.ShouldBe([$"dataset:{dataset}/1"]);
    }

    [Fact]
    public async Task A_version_withdrawn_twice_never_published_of_another_owner_or_without_If_Match_records_nothing()
    {
        var dataset = await TwoVersionsAsync();
        (await WithdrawAsync(dataset, 2, Erased)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var recorded = await CountEventsAsync(broker, "dataset_version_withdrawn");

        var again = await WithdrawAsync(dataset, 2, Erased);
        var unpublished = await WithdrawAsync(dataset, 3, Erased);
        var foreign = await broker.ClientFor(TestTenants.PlPublisher, Roles.DataOwner)
            .SendAsync(HttpMethod.Post, $"/datasets/{dataset}/versions/1/withdrawal", Erased, await ETagAsync(dataset));
        var unconditional = await broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner).PostJsonAsync($"/datasets/{dataset}/versions/1/withdrawal", JsonNode.Parse(Erased)!);
        var stale = await broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner).SendAsync(HttpMethod.Post, $"/datasets/{dataset}/versions/1/withdrawal", Erased, "\"2\"");
        var unlisted = await WithdrawAsync(dataset, 1, """{"reason": "tidying-up"}""");

        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await again.Content.ReadAsStringAsync()).ShouldContain("Version 2 was withdrawn (erasure-request)");
        unpublished.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await unpublished.Content.ReadAsStringAsync()).ShouldContain("has no version 3");
        foreign.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        unconditional.StatusCode.ShouldBe(HttpStatusCode.PreconditionRequired);
        stale.StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);
        unlisted.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await CountEventsAsync(broker, "dataset_version_withdrawn")).ShouldBe(recorded);
    }

    [Fact]
    public async Task A_version_of_a_withdrawn_dataset_is_withdrawn_with_it_already()
    {
        var dataset = await TwoVersionsAsync();
        var owner = broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner);
        (await owner.SendAsync(HttpMethod.Post, $"/datasets/{dataset}/withdrawal", Erased, await ETagAsync(dataset))).StatusCode.ShouldBe(HttpStatusCode.OK);

        var refused = await WithdrawAsync(dataset, 1, Erased);

        refused.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("The dataset is withdrawn");
    }

    /// <summary>A dataset of pl-mc with version 1 (Digest1) and version 2 (Digest2).</summary>
    private async Task<Guid> TwoVersionsAsync()
    {
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);
        var published = await broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner)
            .PostJsonAsync($"/datasets/{dataset}/versions", DatasetApi.Version(DatasetApi.Digest2), await ETagAsync(dataset));
        published.StatusCode.ShouldBe(HttpStatusCode.Created, await published.Content.ReadAsStringAsync());
        return dataset;
    }

    private async Task<string> ETagAsync(Guid dataset) =>
        (await broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner).GetAsync($"/datasets/{dataset}")).Headers.ETag!.ToString();

    private async Task<HttpResponseMessage> WithdrawAsync(Guid dataset, int version, string body) =>
        await broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner).SendAsync(HttpMethod.Post, $"/datasets/{dataset}/versions/{version}/withdrawal", body, await ETagAsync(dataset));

    private Task<HttpResponseMessage> ReleaseAsync(string grant, string digest) =>
        broker.ClientFor(TestTenants.PlCyfronet, Roles.DataPlane).PostJsonAsync($"/grants/{grant}/redemptions", GrantTokens.Release(grant, 1000, digest));
}
