using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Decisions;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Provenance.ProvenanceWorld;

namespace BalticAI.Sovereignty.Api.Tests.Provenance;

/// <summary>
/// Rule 11 at the grain of versions: a derived version names the source versions it was made from, and a source
/// version's withdrawal reaches the versions made from it (named, or published after it without naming any), their
/// grants, the models trained on them and what was derived from them in turn; the versions made from others go on.
/// </summary>
public sealed class DerivedVersionWithdrawalTests(BrokerFactory broker) : IClassFixture<BrokerFactory>, IAsyncLifetime
{
    private const string Erased = """{"reason": "erasure-request", "note": "records of one municipality erased on request"}""";
    private Guid _site;

    private HttpClient Owner => broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner);

    private HttpClient DataPlane => broker.ClientFor(TestTenants.PlCyfronet, Roles.DataPlane);

    public async Task InitializeAsync()
    {
        await ActivateTestBundleAsync(broker, "derived-versions-1");
        _site = await RegisterSiteAsync(broker, $"pl-dv-{Guid.NewGuid():N}"[..20], "PL");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_withdrawn_source_version_reaches_the_versions_made_from_it_and_what_came_of_them_and_no_other()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var source = await RegisterDatasetAsync(broker, researchOnly: false);
        await PublishAsync(source, DatasetApi.Version(DatasetApi.Digest2));
        var derived = await RegisterDerivedFromAsync([source]);
        var first = await PublishAsync(derived, Made(DatasetApi.Digest1, (source, 1)));
        await PublishAsync(derived, Made(DatasetApi.Digest2, (source, 2)));
        var grandchild = await RegisterDerivedFromAsync([derived]);
        await PublishAsync(grandchild, Made(DatasetApi.Digest1, (derived, 2)));
        var unnamed = await RegisterDerivedAsync(broker, source, $"Unnamed copy {suffix}");
        var jobOnFirst = await RegisterJobAsync(broker, _site, commercial: false);
        var firstGrant = await GrantAsync(broker, jobOnFirst, derived, version: 1);
        await RedeemAsync(broker, firstGrant);
        await TrainAsync(broker, jobOnFirst, [Input(derived, 1)], ModelOutput($"first-{suffix}", "1"));
        var jobOnSecond = await RegisterJobAsync(broker, _site, commercial: false);
        var secondGrant = await GrantAsync(broker, jobOnSecond, derived, version: 2);
        (await DataPlane.PostJsonAsync($"/grants/{secondGrant}/redemptions", GrantTokens.Release(secondGrant, 1000, DatasetApi.Digest2))).StatusCode.ShouldBe(HttpStatusCode.Created);
        await TrainAsync(broker, jobOnSecond, [Input(derived, 2)], ModelOutput($"second-{suffix}", "1"));
        var waiting = await RegisterJobAsync(broker, _site, commercial: false);
        var grandchildGrant = await GrantAsync(broker, waiting, grandchild);
        var unnamedGrant = await GrantAsync(broker, waiting, unnamed);

        var withdrawn = await Owner.SendAsync(HttpMethod.Post, $"/datasets/{source}/versions/2/withdrawal", Erased, await ETagAsync(source));

        withdrawn.StatusCode.ShouldBe(HttpStatusCode.OK, await withdrawn.Content.ReadAsStringAsync());
        first["derivedFrom"]!.ToJsonString().ShouldBe($$"""[{"datasetId":"{{source}}","version":1}]""");
        var auditor = broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor);
        foreach (var grant in new[] { secondGrant, grandchildGrant, unnamedGrant })
        {
            (await UntilRevokedAsync(auditor, grant))["revocationReason"]!.GetValue<string>().ShouldBe("source-dataset-version-withdrawn:erasure-request");
        }
        var flag = (await FlaggedAsync(auditor, $"second-{suffix}"))["flags"]!.AsArray().Single()!;
        flag["datasetId"]!.GetValue<string>().ShouldBe(source.ToString());
        flag["reason"]!.GetValue<string>().ShouldBe("dataset-version-withdrawn:erasure-request");
        flag["depth"]!.GetValue<int>().ShouldBe(1);
        (await DatasetApi.ReadJsonAsync(await auditor.GetAsync($"/models/first-{suffix}/versions/1")))["flags"]!.AsArray().ShouldBeEmpty();
        foreach (var (flagged, versions, depth) in new[] { (derived, "[2]", 1), (grandchild, "[1]", 2), (unnamed, "[1]", 1) })
        {
            var datasetFlag = (await DatasetApi.ReadJsonAsync(await auditor.GetAsync($"/datasets/{flagged}")))["flags"]!.AsArray().Single()!;
            (datasetFlag["sourceDatasetId"]!.GetValue<Guid>(), datasetFlag["sourceVersion"]!.GetValue<int>(), datasetFlag["versions"]!.ToJsonString(),
                datasetFlag["reason"]!.GetValue<string>(), datasetFlag["depth"]!.GetValue<int>())
                .ShouldBe((source, 2, versions, "dataset-version-withdrawn:erasure-request", depth));
        }
        // Linked after the withdrawal: a copy registered from the source, and a version of the first copy naming none.
        var late = await RegisterDerivedAsync(broker, source, $"Late copy {suffix}");
        await PublishAsync(derived, DatasetApi.Version("sha256:" + new string('d', 64)));
        (await FlagsOfAsync(auditor, late, 1)).Single()!.ToJsonString().ShouldContain($$"""{"sourceDatasetId":"{{source}}","sourceVersion":2,"versions":[1]""");
        (await FlagsOfAsync(auditor, derived, 2)).Select(f => f!["versions"]!.ToJsonString()).ShouldBe(["[2]", "[3]"]);
        var lineage = (await DatasetApi.ReadJsonAsync(await auditor.GetAsync($"/datasets/{source}/lineage")))["derivedDatasets"]!.AsArray()
            .ToDictionary(d => d!["datasetId"]!.GetValue<Guid>(), d => (Versions: d!["versions"]!.ToJsonString(), Flags: d["flags"]!.AsArray().Count));
        lineage[derived].ShouldBe(("""[{"number":1,"fromVersions":[1]},{"number":2,"fromVersions":[2]},{"number":3,"fromVersions":[1,2]}]""", 2));
        lineage[grandchild].ShouldBe(("""[{"number":1,"fromVersions":[2]}]""", 1));
        lineage[unnamed].ShouldBe(("""[{"number":1,"fromVersions":[1,2]}]""", 1));
        var derivedHistory = (await DatasetApi.ReadJsonAsync(await auditor.GetAsync($"/datasets/{derived}/history"))).AsArray();
        derivedHistory[^1]!["type"]!.GetValue<string>().ShouldBe("DerivedDatasetFlagged");
        derivedHistory[^1]!["actor"]!["organisation"]!.GetValue<string>().ShouldBe("pl-mc");
        (await DatasetApi.ReadJsonAsync(await auditor.GetAsync($"/grants/{firstGrant}")))["status"]!.GetValue<string>().ShouldBe("active");
        (await DataPlane.PostJsonAsync($"/grants/{firstGrant}/redemptions", GrantTokens.Release(firstGrant, 1000, DatasetApi.Digest1)))
            .StatusCode.ShouldBe(HttpStatusCode.Created);

        var prov = await DatasetApi.ReadJsonAsync(await auditor.GetAsync($"/datasets/{source}/prov"));
        prov["wasDerivedFrom"]!.AsObject().Select(r => (r.Value!["prov:generatedEntity"]!.GetValue<string>(), r.Value["prov:usedEntity"]!.GetValue<string>()))
            .Where(r => r.Item1.StartsWith("dataset:", StringComparison.Ordinal))
            .ShouldBe([
                ($"dataset:{derived}", $"dataset:{source}"), ($"dataset:{derived}/1", $"dataset:{source}/1"), ($"dataset:{derived}/2", $"dataset:{source}/2"),
                ($"dataset:{unnamed}", $"dataset:{source}"), ($"dataset:{late}", $"dataset:{source}"),
                ($"dataset:{grandchild}", $"dataset:{derived}"), ($"dataset:{grandchild}/1", $"dataset:{derived}/2"),
            ], ignoreOrder: true);

        // Model versions reported after the withdrawal are flagged as they are registered, when trained on a version made from it.
        var start = DateTimeOffset.UtcNow;
        foreach (var (job, version, model) in new[] { (jobOnSecond, 2, $"late-second-{suffix}"), (jobOnFirst, 1, $"late-first-{suffix}") })
        {
            var run = Guid.NewGuid();
            await ReportOkAsync(broker, RunEvent("START", run, job, [Input(derived, version)], at: start));
            await ReportOkAsync(broker, RunEvent("COMPLETE", run, job, [Input(derived, version)], [ModelOutput(model, "1")], start.AddSeconds(1)));
        }
        var lateFlag = (await DatasetApi.ReadJsonAsync(await auditor.GetAsync($"/models/late-second-{suffix}/versions/1")))["flags"]!.AsArray().Single()!;
        (lateFlag["datasetId"]!.GetValue<string>(), lateFlag["reason"]!.GetValue<string>(), lateFlag["depth"]!.GetValue<int>())
            .ShouldBe((source.ToString(), "dataset-version-withdrawn:erasure-request", 1));
        (await DatasetApi.ReadJsonAsync(await auditor.GetAsync($"/models/late-first-{suffix}/versions/1")))["flags"]!.AsArray().ShouldBeEmpty();

        // Asked again, each version is decided on the source versions it came from, as the policy input records them (keys in canonical order).
        var again = await AskForOneAsync(broker, waiting, derived, version: 2);
        var recorded = await DatasetApi.ReadJsonAsync(await auditor.GetAsync($"/decisions/{again["decisionId"]!.GetValue<string>()}"));
        recorded["input"]!["dataset"]!["derivedFrom"]!.ToJsonString().ShouldBe($$"""[{"id":"{{source}}","status":"withdrawn","version":"2"}]""");
        var kept = await AskForOneAsync(broker, waiting, derived, version: 1);
        var keptInput = await DatasetApi.ReadJsonAsync(await auditor.GetAsync($"/decisions/{kept["decisionId"]!.GetValue<string>()}"));
        keptInput["input"]!["dataset"]!["derivedFrom"]!.ToJsonString().ShouldBe($$"""[{"id":"{{source}}","status":"active","version":"1"}]""");
        // The test bundle allows it; the broker revokes a grant made on data it knows to be withdrawn as soon as it is recorded.
        (await UntilRevokedAsync(auditor, GrantTokens.Remember(again["grant"]!)))["revocationReason"]!.GetValue<string>().ShouldBe("source-dataset-version-withdrawn:erasure-request");
    }

    [Fact]
    public async Task A_version_naming_a_withdrawn_unknown_or_unrelated_source_version_is_refused_and_nothing_is_recorded()
    {
        var source = await RegisterDatasetAsync(broker, researchOnly: false);
        await PublishAsync(source, DatasetApi.Version(DatasetApi.Digest2));
        (await Owner.SendAsync(HttpMethod.Post, $"/datasets/{source}/versions/2/withdrawal", Erased, await ETagAsync(source))).StatusCode.ShouldBe(HttpStatusCode.OK);
        var unrelated = await RegisterDatasetAsync(broker, researchOnly: false);
        var derived = await RegisterDerivedFromAsync([source]);
        var etag = await ETagAsync(derived);

        var fromWithdrawn = await Owner.PostJsonAsync($"/datasets/{derived}/versions", Made(DatasetApi.Digest1, (source, 2)), etag);
        var fromUnpublished = await Owner.PostJsonAsync($"/datasets/{derived}/versions", Made(DatasetApi.Digest1, (source, 9)), etag);
        var fromUnrelated = await Owner.PostJsonAsync($"/datasets/{derived}/versions", Made(DatasetApi.Digest1, (source, 1), (unrelated, 1)), etag);
        var sameTwice = Made(DatasetApi.Digest1, (source, 1), (source, 1));
        var twice = await Owner.PostJsonAsync($"/datasets/{derived}/versions", sameTwice, etag);
        sameTwice["derivedFrom"]![1]!["datasetId"] = source.ToString().ToUpperInvariant();
        var twiceInOtherCase = await Owner.PostJsonAsync($"/datasets/{derived}/versions", sameTwice, etag);
        var malformed = DatasetApi.Version();
        malformed["derivedFrom"] = new JsonArray(new JsonObject { ["datasetId"] = "not-a-uuid", ["version"] = 1 });
        var notUuid = await Owner.PostJsonAsync($"/datasets/{derived}/versions", malformed, etag);

        fromWithdrawn.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await Errors(fromWithdrawn))["/derivedFrom/0/version"]![0]!.GetValue<string>().ShouldContain($"version 2 of dataset {source} was withdrawn (erasure-request)");
        fromUnpublished.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await Errors(fromUnpublished))["/derivedFrom/0/version"]![0]!.GetValue<string>().ShouldContain("has no version 9");
        fromUnrelated.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await Errors(fromUnrelated))["/derivedFrom/1/datasetId"]![0]!.GetValue<string>().ShouldContain("not among the sources the terms name");
        twice.StatusCode.ShouldBe(HttpStatusCode.BadRequest, "the schema's uniqueItems refuses the same pair twice");
        twiceInOtherCase.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await Errors(twiceInOtherCase))["/derivedFrom/1"]![0]!.GetValue<string>().ShouldContain("a second time");
        notUuid.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await DatasetApi.ReadJsonAsync(await Owner.GetAsync($"/datasets/{derived}/versions"))).AsArray().ShouldBeEmpty();
        (await ETagAsync(derived)).ShouldBe(etag);
    }

    [Fact]
    public async Task A_source_that_a_published_version_names_cannot_be_dropped_from_the_terms()
    {
        var source = await RegisterDatasetAsync(broker, researchOnly: false);
        var other = await RegisterDatasetAsync(broker, researchOnly: false);
        var derived = await RegisterDerivedFromAsync([source]);
        await PublishAsync(derived, Made(DatasetApi.Digest1, (source, 1)));
        var etag = await ETagAsync(derived);

        var dropped = await Owner.PatchTermsAsync(derived, new JsonObject { ["lineage"] = new JsonObject { ["derivedFrom"] = new JsonArray(other.ToString()) } }, etag);
        var added = await Owner.PatchTermsAsync(derived, new JsonObject { ["lineage"] = new JsonObject { ["derivedFrom"] = new JsonArray(source.ToString(), other.ToString()) } }, etag);

        dropped.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await Errors(dropped))["/lineage/derivedFrom"]![0]!.GetValue<string>().ShouldBe($"version 1 was made from dataset {source}: a source that a published version names stays in lineage.derivedFrom");
        added.StatusCode.ShouldBe(HttpStatusCode.OK, await added.Content.ReadAsStringAsync());
    }

    /// <summary>A new dataset of pl-mc derived from <paramref name="sources"/>, with no version yet.</summary>
    private async Task<Guid> RegisterDerivedFromAsync(IEnumerable<Guid> sources)
    {
        var terms = DatasetApi.Terms(title: $"Derived corpus {Guid.NewGuid():N}");
        terms["lineage"] = new JsonObject { ["derivedFrom"] = new JsonArray(sources.Select(s => (JsonNode)s.ToString()).ToArray()) };
        return (await Owner.RegisterAsync(terms)).Id;
    }

    private async Task<JsonNode> PublishAsync(Guid dataset, JsonObject version)
    {
        var published = await Owner.PostJsonAsync($"/datasets/{dataset}/versions", version, await ETagAsync(dataset));
        var body = await DatasetApi.ReadJsonAsync(published);
        published.StatusCode.ShouldBe(HttpStatusCode.Created, body.ToJsonString());
        return body;
    }

    private static JsonObject Made(string digest, params (Guid Dataset, int Version)[] from)
    {
        var version = DatasetApi.Version(digest);
        version["derivedFrom"] = new JsonArray(from.Select(f => (JsonNode)new JsonObject { ["datasetId"] = f.Dataset.ToString(), ["version"] = f.Version }).ToArray());
        return version;
    }

    /// <summary>The dataset's flags once there are <paramref name="count"/>; the flagger runs in the background.</summary>
    private static async Task<JsonArray> FlagsOfAsync(HttpClient client, Guid dataset, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var flags = (await DatasetApi.ReadJsonAsync(await client.GetAsync($"/datasets/{dataset}")))["flags"]!.AsArray();
            if (flags.Count >= count || DateTime.UtcNow > deadline)
            {
                flags.Count.ShouldBe(count, flags.ToJsonString());
                return flags;
            }
            await Task.Delay(100);
        }
    }

    private async Task<string> ETagAsync(Guid dataset) => (await Owner.GetAsync($"/datasets/{dataset}")).Headers.ETag!.ToString();

    private static async Task<JsonNode> Errors(HttpResponseMessage response) => (await DatasetApi.ReadJsonAsync(response))["errors"]!;
}
