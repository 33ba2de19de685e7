using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Provenance.ProvenanceWorld;

namespace BalticAI.Sovereignty.Api.Tests.Provenance;

public sealed class ListingModelVersionsTests(BrokerFactory broker) : IClassFixture<BrokerFactory>, IAsyncLifetime
{
    private Guid _site;

    public async Task InitializeAsync()
    {
        await ActivateTestBundleAsync(broker, "provenance-list");
        _site = await RegisterSiteAsync(broker, $"pl-list-{Guid.NewGuid():N}"[..20], "PL");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Versions_come_in_registration_order_page_by_page_and_only_to_regulators_whose_feed_carried_them()
    {
        var model = $"speakleash-{Guid.NewGuid():N}"[..24];
        var (job, dataset, _) = await GrantedJobAsync(broker, _site);
        foreach (var version in new[] { "2.0", "1.0", "1.1" })
        {
            await TrainAsync(broker, job, [Input(dataset)], ModelOutput(model, version));
        }
        var auditor = broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor);

        var first = await PageAsync(auditor, $"/models/{model}/versions?limit=2");
        var second = await PageAsync(auditor, $"/models/{model}/versions?limit=2&cursor={first["next"]!.GetValue<string>()}");

        Versions(first).ShouldBe(["2.0", "1.0"]);
        Versions(second).ShouldBe(["1.1"]);
        second["next"].ShouldBeNull();
        var listed = first["items"]![0]!;
        listed["jobId"]!.GetValue<string>().ShouldBe(job.ToString());
        listed["digest"]!.GetValue<string>().ShouldBe(ModelDigest);
        listed["isFlagged"]!.GetValue<bool>().ShouldBeFalse();
        listed["restrictions"]!["nonCommercial"].ShouldNotBeNull();
        listed["upstream"].ShouldBeNull("the listing leaves each version's upstream datasets to GET /models/{id}/versions/{v}");
        Versions(await PageAsync(broker.ClientFor(TestTenants.PlUodo, Roles.Regulator), $"/models/{model}/versions")).ShouldBe(["2.0", "1.0", "1.1"]);
        Versions(await PageAsync(broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem), $"/models/{model}/versions")).Count.ShouldBe(3);
        (await broker.ClientFor(TestTenants.EeAki, Roles.Regulator).GetAsync($"/models/{model}/versions")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Flagged_filters_the_versions_trained_on_a_withdrawn_dataset()
    {
        var model = $"bielik-{Guid.NewGuid():N}"[..20];
        var (job, withdrawn, _) = await GrantedJobAsync(broker, _site);
        var (otherJob, kept, _) = await GrantedJobAsync(broker, _site);
        await TrainAsync(broker, job, [Input(withdrawn)], ModelOutput(model, "1"));
        await TrainAsync(broker, otherJob, [Input(kept)], ModelOutput(model, "2"));
        var owner = broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner);
        var etag = (await owner.GetAsync($"/datasets/{withdrawn}")).Headers.ETag!.ToString();
        (await owner.SendAsync(HttpMethod.Post, $"/datasets/{withdrawn}/withdrawal", """{"reason": "erasure-request"}""", etag)).IsSuccessStatusCode.ShouldBeTrue();
        var auditor = broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor);

        var flagged = await FlaggedPageAsync(auditor, model);
        var unflagged = await PageAsync(auditor, $"/models/{model}/versions?flagged=false");

        Versions(flagged).ShouldBe(["1"]);
        flagged["items"]![0]!["flags"]![0]!["datasetId"]!.GetValue<string>().ShouldBe(withdrawn.ToString());
        Versions(unflagged).ShouldBe(["2"]);
    }

    [Theory]
    [InlineData("/models/{0}/versions?limit=0", "limit")]
    [InlineData("/models/{0}/versions?limit=101", "limit")]
    [InlineData("/models/{0}/versions?cursor=bm90LWEtY3Vyc29y", "cursor")]
    [InlineData("/models/Not_A_Model/versions", "modelId")]
    public async Task A_bad_query_is_a_400_naming_the_parameter(string path, string parameter)
    {
        var response = await broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor).GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, path, "some-model"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await DatasetApi.ReadJsonAsync(response))["errors"]![parameter].ShouldNotBeNull();
    }

    [Fact]
    public async Task A_model_with_no_versions_is_a_404()
    {
        var response = await broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor).GetAsync($"/models/never-{Guid.NewGuid():N}/versions");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    private static async Task<JsonNode> PageAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await DatasetApi.ReadJsonAsync(response);
    }

    private static List<string> Versions(JsonNode page) => page["items"]!.AsArray().Select(i => i!["version"]!.GetValue<string>()).ToList();

    /// <summary>The flag is written by the ledger's subscription after the withdrawal commits.</summary>
    private static async Task<JsonNode> FlaggedPageAsync(HttpClient client, string model)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            var page = await PageAsync(client, $"/models/{model}/versions?flagged=true");
            if (page["items"]!.AsArray().Count > 0)
            {
                return page;
            }
            await Task.Delay(100);
        }
        throw new ShouldAssertException($"no version of {model} was flagged within 30 s");
    }
}
