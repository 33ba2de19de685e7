using System.Formats.Tar;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Policies.Bundles;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Policies.BundleArchives;

namespace BalticAI.Sovereignty.Api.Tests.Policies;

/// <summary>
/// Bundles in OPA's own file format, a gzipped tar: before, POST /policies/bundles took JSON only (415) and
/// GET /policies/bundles/{digest} answered JSON only, so neither `opa build` output nor `opa eval -b` could be used.
/// </summary>
public sealed class OpaBundleArchiveTests(BrokerFactory broker) : IClassFixture<BrokerFactory>
{
    private HttpClient PolicyAdmin => broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin);

    private HttpClient Auditor => broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor);

    [Fact]
    public async Task An_archive_as_opa_build_writes_it_is_the_bundle_the_JSON_body_would_be()
    {
        await WaitForShippedBundleAsync(broker);
        var body = Bundle($"archive-{Guid.NewGuid():N}");
        // A YAML data file one directory down is placed there, typed as go-yaml v2 types it (yes is true).
        var archive = Of([.. FilesOf(body), ("/balticai/regions/data.yaml", "baltic: [EE, LV, LT]\nenabled: yes\n"), ("/README.md", "ignored, as OPA ignores it")]);
        var expected = new JsonObject
        {
            ["balticai"] = new JsonObject
            {
                ["allowedCountries"] = new JsonArray("PL", "EE", "LT", "LV"),
                ["regions"] = new JsonObject { ["baltic"] = new JsonArray("EE", "LV", "LT"), ["enabled"] = true },
            },
        };
        var modules = body["modules"]!.AsArray().Select(m => new BundleModule(m!["path"]!.GetValue<string>(), m["source"]!.GetValue<string>())).ToList();
        var activations = await CountEventsAsync(broker, "policy_bundle_activated");

        var response = await PolicyAdmin.PostArchiveAsync(archive);

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var activated = await DatasetApi.ReadJsonAsync(response);
        activated["digest"]!.GetValue<string>().ShouldBe(PolicyBundle.ComputeDigest(modules, expected));
        activated["revision"]!.GetValue<string>().ShouldBe(body["revision"]!.GetValue<string>());
        (await CountEventsAsync(broker, "policy_bundle_activated")).ShouldBe(activations + 1);
        var active = await DatasetApi.ReadJsonAsync(await Auditor.GetAsync("/policies/active"));
        active["modules"]!.AsArray().Select(m => m!["path"]!.GetValue<string>()).ShouldBe(["access/access.rego", "access/access_test.rego"]);
    }

    [Fact]
    public async Task An_exported_bundle_imported_under_another_revision_is_the_same_bundle()
    {
        var digest = await ActivateAsync(broker, Bundle($"export-{Guid.NewGuid():N}"));
        var revision = $"reimport-{Guid.NewGuid():N}";

        var exported = await ExportAsync(digest);
        var response = await PolicyAdmin.PostArchiveAsync(WithRevision(exported, revision));

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        (await DatasetApi.ReadJsonAsync(response))["digest"]!.GetValue<string>().ShouldBe(digest);
        var recorded = await DatasetApi.ReadJsonAsync(await Auditor.GetAsync($"/policies/bundles/{digest}"));
        recorded["activations"]!.AsArray()[0]!["revision"]!.GetValue<string>().ShouldBe(revision);
    }

    [Fact]
    public async Task Two_exports_are_the_same_bytes_with_no_time_owner_or_file_name_and_JSON_stays_the_default()
    {
        var revision = $"bytes-{Guid.NewGuid():N}";
        var digest = await ActivateAsync(broker, Bundle(revision));

        var first = await ExportAsync(digest);
        // The first export was of the active bundle in memory; after another activation the bundle is read back from the database.
        await ActivateAsync(broker, Bundle($"between-{Guid.NewGuid():N}", TestPolicy + "\n# other content\n"));
        var second = await ExportAsync(digest);
        var json = await Auditor.GetAsync($"/policies/bundles/{digest}");

        second.ShouldBe(first);
        (first[3], first[4], first[5], first[6], first[7]).ShouldBe(((byte)0, (byte)0, (byte)0, (byte)0, (byte)0), "gzip FLG (no file name) and MTIME");
        var entries = Entries(first);
        entries.Select(e => e.Entry.Name).ShouldBe([".manifest", "access/access.rego", "access/access_test.rego", "data.json"]);
        entries.ShouldAllBe(e => e.Entry.ModificationTime == DateTimeOffset.UnixEpoch && e.Entry.Uid == 0 && e.Entry.Gid == 0
            && e.Entry.Mode == (UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead));
        var manifest = JsonNode.Parse(entries[0].Content)!;
        manifest["revision"]!.GetValue<string>().ShouldBe(revision);
        manifest["roots"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldBe(["balticai"]);
        Encoding.UTF8.GetString(entries[1].Content).ShouldBe(TestPolicy);
        JsonNode.Parse(entries[3].Content)!["balticai"]!["allowedCountries"]!.AsArray().Count.ShouldBe(4);
        json.StatusCode.ShouldBe(HttpStatusCode.OK);
        json.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
    }

    public static TheoryData<string> Refusals => new(RefusedArchives.Cases.Keys);

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_hostile_or_unsupported_archive_is_a_problem_and_nothing_is_recorded(string name)
    {
        var (archive, status, naming) = RefusedArchives.Cases[name];
        var active = (await WaitForShippedBundleAsync(broker))["digest"]!.GetValue<string>();
        var activations = await CountEventsAsync(broker, "policy_bundle_activated");

        var response = await PolicyAdmin.PostArchiveAsync(archive());

        var problem = await Platform.ProblemAndOpenApiTests.ShouldBeProblemAsync(response, status);
        var text = problem.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        text.ShouldContain(naming, Case.Sensitive, text);
        (await CountEventsAsync(broker, "policy_bundle_activated")).ShouldBe(activations);
        (await DatasetApi.ReadJsonAsync(await Auditor.GetAsync("/policies/active")))["digest"]!.GetValue<string>().ShouldBe(active);
    }

    [Fact]
    public async Task The_OpenApi_document_declares_JSON_and_the_archive_on_both_operations()
    {
        var document = JsonNode.Parse(await broker.CreateClient().GetStringAsync("/openapi/v1.json"))!;

        var activate = document["paths"]!["/policies/bundles"]!["post"]!["requestBody"]!["content"]!.AsObject();
        var read = document["paths"]!["/policies/bundles/{digest}"]!["get"]!["responses"]!["200"]!["content"]!.AsObject();

        activate.Select(c => c.Key).Order(StringComparer.Ordinal).ShouldBe(["application/gzip", "application/json"]);
        read.Select(c => c.Key).Order(StringComparer.Ordinal).ShouldBe(["application/gzip", "application/json"]);
        read["application/gzip"]!["schema"]!["format"]!.GetValue<string>().ShouldBe("binary");
        document["paths"]!["/policies/bundles"]!["post"]!["responses"]!.AsObject().ContainsKey("413").ShouldBeTrue();
    }

    private async Task<byte[]> ExportAsync(string digest)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/policies/bundles/{digest}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaType));
        var response = await Auditor.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe(MediaType);
        return await response.Content.ReadAsByteArrayAsync();
    }
}
