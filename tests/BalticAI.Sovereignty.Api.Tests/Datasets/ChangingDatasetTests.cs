using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Api.Tests.Platform;

namespace BalticAI.Sovereignty.Api.Tests.Datasets;

public sealed class ChangingDatasetTests(BrokerFactory broker) : IClassFixture<BrokerFactory>
{
    private HttpClient Owner => broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner);

    [Fact]
    public async Task Versions_are_numbered_per_dataset_and_move_the_etag()
    {
        var (id, etag) = await Owner.RegisterAsync();

        var first = await Owner.PostJsonAsync($"/datasets/{id}/versions", DatasetApi.Version(DatasetApi.Digest1), etag);
        var second = await Owner.PostJsonAsync($"/datasets/{id}/versions", DatasetApi.Version(DatasetApi.Digest2), first.Headers.ETag!.ToString());

        first.StatusCode.ShouldBe(HttpStatusCode.Created);
        first.Headers.Location!.ToString().ShouldBe($"/datasets/{id}/versions/1");
        first.Headers.ETag!.ToString().ShouldBe("\"2\"");
        second.Headers.ETag!.ToString().ShouldBe("\"3\"");
        (await DatasetApi.ReadJsonAsync(second))["number"]!.GetValue<int>().ShouldBe(2);
        var versions = await DatasetApi.ReadJsonAsync(await Owner.GetAsync($"/datasets/{id}/versions"));
        versions.AsArray().Select(v => v!["digest"]!.GetValue<string>()).ShouldBe([DatasetApi.Digest1, DatasetApi.Digest2]);
        var one = await DatasetApi.ReadJsonAsync(await Owner.GetAsync($"/datasets/{id}/versions/1"));
        one["sizeBytes"]!.GetValue<long>().ShouldBe(1_000_000);
        one["languages"]!.AsArray().Single()!.GetValue<string>().ShouldBe("pl");
    }

    /// <summary>A training system reads the list to ask for access: it must not take the revision for a data version.</summary>
    [Fact]
    public async Task A_list_item_names_its_latest_data_version_beside_its_revision()
    {
        var (id, etag) = await Owner.RegisterAsync();
        var first = await Owner.PostJsonAsync($"/datasets/{id}/versions", DatasetApi.Version(DatasetApi.Digest1), etag);
        await Owner.PostJsonAsync($"/datasets/{id}/versions", DatasetApi.Version(DatasetApi.Digest2), first.Headers.ETag!.ToString());
        var (unpublished, _) = await Owner.RegisterAsync();

        var item = await ListItemAsync(id);
        var empty = await ListItemAsync(unpublished);

        item["version"]!.GetValue<long>().ShouldBe(3, "the revision, as in the ETag");
        item["versionCount"]!.GetValue<int>().ShouldBe(2);
        item["latestVersion"]!["number"]!.GetValue<int>().ShouldBe(2);
        item["latestVersion"]!["digest"]!.GetValue<string>().ShouldBe(DatasetApi.Digest2);
        var single = await DatasetApi.ReadJsonAsync(await Owner.GetAsync($"/datasets/{id}"));
        JsonNode.DeepEquals(item["latestVersion"], single["latestVersion"]).ShouldBeTrue("the list and the dataset name the same latest version");
        empty["latestVersion"].ShouldBeNull();
        empty["versionCount"]!.GetValue<int>().ShouldBe(0);
    }

    private async Task<JsonNode> ListItemAsync(Guid id)
    {
        string? cursor = null;
        do
        {
            var page = await DatasetApi.ReadJsonAsync(await Owner.GetAsync("/datasets?owner=pl-mc&limit=100" + (cursor is null ? "" : "&cursor=" + cursor)));
            if (page["items"]!.AsArray().FirstOrDefault(i => i!["id"]!.GetValue<Guid>() == id) is { } item)
            {
                return item;
            }
            cursor = page["next"]?.GetValue<string>();
        }
        while (cursor is not null);
        throw new ShouldAssertException($"dataset {id} is not listed");
    }

    [Theory]
    [InlineData("sha256:ABC")]
    [InlineData("md5:1111111111111111111111111111111111111111111111111111111111111111")]
    [InlineData("sha256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task A_malformed_digest_is_422(string digest)
    {
        var (id, etag) = await Owner.RegisterAsync();

        var problem = await ProblemAndOpenApiTests.ShouldBeProblemAsync(
            await Owner.PostJsonAsync($"/datasets/{id}/versions", DatasetApi.Version(digest), etag), HttpStatusCode.UnprocessableEntity);

        problem["errors"]!["/digest"].ShouldNotBeNull();
    }

    [Fact]
    public async Task The_same_digest_cannot_become_a_second_version()
    {
        var (id, etag) = await Owner.RegisterAsync();
        var first = await Owner.PostJsonAsync($"/datasets/{id}/versions", DatasetApi.Version(), etag);

        var again = await Owner.PostJsonAsync($"/datasets/{id}/versions", DatasetApi.Version(), first.Headers.ETag!.ToString());

        await ProblemAndOpenApiTests.ShouldBeProblemAsync(again, HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task Writes_without_if_match_are_428_with_a_stale_one_412_and_a_malformed_one_400()
    {
        var (id, _) = await Owner.RegisterAsync();
        var before = await broker.CountWritesAsync();

        await ProblemAndOpenApiTests.ShouldBeProblemAsync(await Owner.PostJsonAsync($"/datasets/{id}/versions", DatasetApi.Version()), HttpStatusCode.PreconditionRequired);
        var stale = await Owner.PostJsonAsync($"/datasets/{id}/versions", DatasetApi.Version(), "\"7\"");
        await ProblemAndOpenApiTests.ShouldBeProblemAsync(stale, HttpStatusCode.PreconditionFailed);
        stale.Headers.ETag!.ToString().ShouldBe("\"1\"");
        await ProblemAndOpenApiTests.ShouldBeProblemAsync(await Owner.PostJsonAsync($"/datasets/{id}/versions", DatasetApi.Version(), "W/\"1\""), HttpStatusCode.BadRequest);
        await ProblemAndOpenApiTests.ShouldBeProblemAsync(await Owner.PatchTermsAsync(id, new JsonObject { ["title"] = "x" }, null), HttpStatusCode.PreconditionRequired);
        (await broker.CountWritesAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task Another_organisations_data_owner_gets_403_and_a_missing_dataset_404()
    {
        var (id, etag) = await Owner.RegisterAsync();
        var other = broker.ClientFor(TestTenants.PlSpeakLeash, Roles.DataOwner);

        await ProblemAndOpenApiTests.ShouldBeProblemAsync(await other.PostJsonAsync($"/datasets/{id}/versions", DatasetApi.Version(), etag), HttpStatusCode.Forbidden);
        await ProblemAndOpenApiTests.ShouldBeProblemAsync(await other.PostJsonAsync($"/datasets/{id}/withdrawal", new JsonObject { ["reason"] = "owner-decision" }, etag), HttpStatusCode.Forbidden);
        await ProblemAndOpenApiTests.ShouldBeProblemAsync(await other.PatchTermsAsync(id, new JsonObject { ["title"] = "Mine now" }, etag), HttpStatusCode.Forbidden);
        await ProblemAndOpenApiTests.ShouldBeProblemAsync(await Owner.PostJsonAsync($"/datasets/{Guid.CreateVersion7()}/versions", DatasetApi.Version(), etag), HttpStatusCode.NotFound);
        await ProblemAndOpenApiTests.ShouldBeProblemAsync(await Owner.GetAsync($"/datasets/{Guid.CreateVersion7()}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Terms_are_amended_by_merge_patch_and_null_removes_a_member()
    {
        var terms = DatasetApi.Terms("Before amendment");
        terms["description"] = "to be removed";
        var (id, etag) = await Owner.RegisterAsync(terms);

        var patch = new JsonObject
        {
            ["title"] = "After amendment",
            ["description"] = null,
            ["licensing"] = new JsonObject { ["licence"] = "CC-BY-NC-4.0", ["restrictions"] = new JsonArray("nc") },
        };
        var response = await Owner.PatchTermsAsync(id, patch, etag);
        var body = await DatasetApi.ReadJsonAsync(response);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToJsonString());
        response.Headers.ETag!.ToString().ShouldBe("\"2\"");
        body["terms"]!["title"]!.GetValue<string>().ShouldBe("After amendment");
        body["terms"]!["description"].ShouldBeNull();
        body["terms"]!["licensing"]!["licence"]!.GetValue<string>().ShouldBe("CC-BY-NC-4.0");
        body["terms"]!["licensing"]!["copyrightBasis"]!.GetValue<string>().ShouldBe("public-domain");
        body["terms"]!["contact"]!.GetValue<string>().ShouldBe("dane@sejm.example");
    }

    [Fact]
    public async Task A_patch_breaking_structure_is_400_one_breaking_content_is_422_and_a_wrong_media_type_415()
    {
        var (id, etag) = await Owner.RegisterAsync();
        var before = await broker.CountWritesAsync();

        var structure = await ProblemAndOpenApiTests.ShouldBeProblemAsync(await Owner.PatchTermsAsync(id, new JsonObject { ["title"] = null }, etag), HttpStatusCode.BadRequest);
        structure["errors"]!["/title"].ShouldNotBeNull();
        var content = await ProblemAndOpenApiTests.ShouldBeProblemAsync(
            await Owner.PatchTermsAsync(id, new JsonObject { ["licensing"] = new JsonObject { ["licence"] = "CC-BY-NC-4.0" } }, etag), HttpStatusCode.UnprocessableEntity);
        content["errors"]!["/licensing/restrictions"].ShouldNotBeNull();
        var wrongType = await Owner.SendAsync(HttpMethod.Patch, $"/datasets/{id}/terms", "{\"title\":\"x\"}", etag, "application/json");
        await ProblemAndOpenApiTests.ShouldBeProblemAsync(wrongType, HttpStatusCode.UnsupportedMediaType);
        (await broker.CountWritesAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task A_patch_that_changes_nothing_records_nothing()
    {
        var (id, etag) = await Owner.RegisterAsync();

        var response = await Owner.PatchTermsAsync(id, new JsonObject { ["controller"] = "Kancelaria Sejmu" }, etag);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.ETag!.ToString().ShouldBe("\"1\"");
    }

    [Fact]
    public async Task Restriction_is_lifted_with_a_reason_and_cannot_be_doubled()
    {
        var (id, etag) = await Owner.RegisterAsync();

        var restricted = await Owner.PostJsonAsync($"/datasets/{id}/restriction", new JsonObject { ["reason"] = "accuracy-contested", ["note"] = "Source errata under review" }, etag);
        var body = await DatasetApi.ReadJsonAsync(restricted);
        restricted.StatusCode.ShouldBe(HttpStatusCode.OK);
        body["status"]!.GetValue<string>().ShouldBe("restricted");
        body["restriction"]!["reason"]!.GetValue<string>().ShouldBe("accuracy-contested");

        var again = await Owner.PostJsonAsync($"/datasets/{id}/restriction", new JsonObject { ["reason"] = "owner-review" }, restricted.Headers.ETag!.ToString());
        await ProblemAndOpenApiTests.ShouldBeProblemAsync(again, HttpStatusCode.Conflict);

        var lifted = await Owner.PostJsonAsync($"/datasets/{id}/restriction/lifting", new JsonObject { ["reason"] = "accuracy-verified" }, restricted.Headers.ETag!.ToString());
        lifted.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await DatasetApi.ReadJsonAsync(lifted))["status"]!.GetValue<string>().ShouldBe("active");

        var liftAgain = await Owner.PostJsonAsync($"/datasets/{id}/restriction/lifting", new JsonObject { ["reason"] = "review-completed" }, lifted.Headers.ETag!.ToString());
        await ProblemAndOpenApiTests.ShouldBeProblemAsync(liftAgain, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Lifting_needs_a_reason()
    {
        var (id, etag) = await Owner.RegisterAsync();
        var restricted = await Owner.PostJsonAsync($"/datasets/{id}/restriction", new JsonObject { ["reason"] = "owner-review" }, etag);

        var problem = await ProblemAndOpenApiTests.ShouldBeProblemAsync(
            await Owner.PostJsonAsync($"/datasets/{id}/restriction/lifting", new JsonObject(), restricted.Headers.ETag!.ToString()), HttpStatusCode.BadRequest);

        problem["errors"]!["/reason"].ShouldNotBeNull();
    }

    [Fact]
    public async Task Withdrawal_is_final()
    {
        var (id, etag) = await Owner.RegisterAsync();

        var withdrawn = await Owner.PostJsonAsync($"/datasets/{id}/withdrawal", new JsonObject { ["reason"] = "consent-withdrawn" }, etag);
        var body = await DatasetApi.ReadJsonAsync(withdrawn);
        var current = withdrawn.Headers.ETag!.ToString();

        withdrawn.StatusCode.ShouldBe(HttpStatusCode.OK);
        body["status"]!.GetValue<string>().ShouldBe("withdrawn");
        body["withdrawal"]!["reason"]!.GetValue<string>().ShouldBe("consent-withdrawn");
        await ProblemAndOpenApiTests.ShouldBeProblemAsync(await Owner.PostJsonAsync($"/datasets/{id}/withdrawal", new JsonObject { ["reason"] = "erasure-request" }, current), HttpStatusCode.Conflict);
        await ProblemAndOpenApiTests.ShouldBeProblemAsync(await Owner.PostJsonAsync($"/datasets/{id}/versions", DatasetApi.Version(), current), HttpStatusCode.Conflict);
        await ProblemAndOpenApiTests.ShouldBeProblemAsync(await Owner.PatchTermsAsync(id, new JsonObject { ["title"] = "Revived" }, current), HttpStatusCode.Conflict);
        await ProblemAndOpenApiTests.ShouldBeProblemAsync(await Owner.PostJsonAsync($"/datasets/{id}/restriction", new JsonObject { ["reason"] = "owner-review" }, current), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Lineage_must_name_registered_datasets_and_never_the_dataset_itself()
    {
        var (source, _) = await Owner.RegisterAsync(DatasetApi.Terms("Lineage source"));
        var derivedTerms = DatasetApi.Terms("Lineage derived");
        derivedTerms["lineage"] = new JsonObject { ["derivedFrom"] = new JsonArray(source.ToString()) };
        var (derived, etag) = await Owner.RegisterAsync(derivedTerms);

        derivedTerms["lineage"] = new JsonObject { ["derivedFrom"] = new JsonArray(Guid.CreateVersion7().ToString()) };
        var unknown = await ProblemAndOpenApiTests.ShouldBeProblemAsync(await Owner.PostJsonAsync("/datasets", derivedTerms), HttpStatusCode.UnprocessableEntity);
        unknown["errors"]!["/lineage/derivedFrom/0"].ShouldNotBeNull();

        var self = await Owner.PatchTermsAsync(derived, new JsonObject { ["lineage"] = new JsonObject { ["derivedFrom"] = new JsonArray(source.ToString(), derived.ToString()) } }, etag);
        var problem = await ProblemAndOpenApiTests.ShouldBeProblemAsync(self, HttpStatusCode.UnprocessableEntity);
        problem["errors"]!["/lineage/derivedFrom/1"].ShouldNotBeNull();

        var kept = await Owner.PatchTermsAsync(derived, new JsonObject { ["title"] = "Lineage derived, renamed" }, etag);
        kept.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await DatasetApi.ReadJsonAsync(kept))["terms"]!["lineage"]!["derivedFrom"]!.AsArray().Single()!.GetValue<string>().ShouldBe(source.ToString());
    }

    [Fact]
    public async Task A_regulator_keeps_reading_a_dataset_whose_storage_moved_out_of_its_country()
    {
        var terms = DatasetApi.Terms("Transcripts once stored in Vilnius");
        terms["sovereignty"]!["storage"]!["country"] = "LT";
        var (id, etag) = await Owner.RegisterAsync(terms);
        var lithuanian = broker.ClientFor(TestTenants.LtVdai, Roles.Regulator);
        (await lithuanian.GetAsync($"/datasets/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var moved = await Owner.PatchTermsAsync(id, new JsonObject { ["sovereignty"] = new JsonObject { ["storage"] = new JsonObject { ["country"] = "PL" } } }, etag);

        moved.StatusCode.ShouldBe(HttpStatusCode.OK, await moved.Content.ReadAsStringAsync());
        (await DatasetApi.ReadJsonAsync(moved))["countries"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe(["PL"]);
        (await lithuanian.GetAsync($"/datasets/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await lithuanian.GetAsync($"/datasets/{id}/history")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await lithuanian.GetAsync($"/datasets/{id}/versions")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ListedIdsAsync(lithuanian, "")).ShouldContain(id.ToString());
        (await ListedIdsAsync(lithuanian, "&country=LT")).ShouldNotContain(id.ToString());
        await ProblemAndOpenApiTests.ShouldBeProblemAsync(await broker.ClientFor(TestTenants.EeAki, Roles.Regulator).GetAsync($"/datasets/{id}"), HttpStatusCode.NotFound);
        (await ListedIdsAsync(broker.ClientFor(TestTenants.EeAki, Roles.Regulator), "")).ShouldNotContain(id.ToString());
    }

    [Fact]
    public async Task A_regulator_keeps_auditing_the_lineage_of_a_dataset_whose_storage_moved_out_of_its_country()
    {
        var terms = DatasetApi.Terms("Transcripts once stored in Kaunas");
        terms["sovereignty"]!["storage"]!["country"] = "LT";
        var (id, etag) = await Owner.RegisterAsync(terms);

        var moved = await Owner.PatchTermsAsync(id, new JsonObject { ["sovereignty"] = new JsonObject { ["storage"] = new JsonObject { ["country"] = "PL" } } }, etag);

        moved.StatusCode.ShouldBe(HttpStatusCode.OK, await moved.Content.ReadAsStringAsync());
        var lithuanian = broker.ClientFor(TestTenants.LtVdai, Roles.Regulator);
        (await lithuanian.GetAsync($"/datasets/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await lithuanian.GetAsync($"/datasets/{id}/lineage")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await lithuanian.GetAsync($"/datasets/{id}/prov")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await ProblemAndOpenApiTests.ShouldBeProblemAsync(await broker.ClientFor(TestTenants.EeAki, Roles.Regulator).GetAsync($"/datasets/{id}/lineage"), HttpStatusCode.NotFound);
    }

    private static async Task<List<string>> ListedIdsAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync("/datasets?limit=100" + query);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return [.. (await DatasetApi.ReadJsonAsync(response))["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>())];
    }
}
