using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;

namespace BalticAI.Sovereignty.Api.Tests.Datasets;

/// <summary>
/// A restriction's or a withdrawal's note may name the person who objected or asked for erasure: the owner organisation,
/// PolicyAdmins and auditors read it; other roles read the reason and the time, on every route that shows them.
/// </summary>
public sealed class DatasetNotesTests(BrokerFactory broker) : IClassFixture<BrokerFactory>
{
    private const string Objection = "objection by a data subject, case 2026/114";
    private const string Erasure = "records of J. Kowalski erased on request";

    [Fact]
    public async Task Restriction_and_withdrawal_notes_are_read_by_the_owner_policy_admins_and_auditors_only()
    {
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);
        var owner = broker.ClientFor(TestTenants.PlMinistry, Roles.DataOwner);
        (await owner.PostJsonAsync($"/datasets/{dataset}/versions", DatasetApi.Version(DatasetApi.Digest2), "\"2\"")).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await owner.SendAsync(HttpMethod.Post, $"/datasets/{dataset}/versions/2/withdrawal", $$"""{"reason": "erasure-request", "note": "{{Erasure}}"}""", "\"3\""))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        (await owner.SendAsync(HttpMethod.Post, $"/datasets/{dataset}/restriction", $$"""{"reason": "objection-pending", "note": "{{Objection}}"}""", "\"4\""))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        foreach (var (tenant, role, reads) in new[]
        {
            (TestTenants.PlMinistry, Roles.DataOwner, true),
            (TestTenants.EuAiOffice, Roles.PolicyAdmin, true),
            (TestTenants.EuAiOffice, Roles.Auditor, true),
            (TestTenants.PlCyfronet, Roles.TrainingSystem, false),
            (TestTenants.PlPublisher, Roles.DataOwner, false),
            (TestTenants.PlUodo, Roles.Regulator, false),
        })
        {
            var client = broker.ClientFor(tenant, role);
            var one = await ReadAsync(client, $"/datasets/{dataset}");
            var listed = (await ReadAsync(client, "/datasets?owner=pl-mc&status=restricted&limit=100"))["items"]!.AsArray().Single(d => d!["id"]!.GetValue<Guid>() == dataset)!;
            var versions = (await ReadAsync(client, $"/datasets/{dataset}/versions")).AsArray();
            var version = await ReadAsync(client, $"/datasets/{dataset}/versions/2");
            var history = (await ReadAsync(client, $"/datasets/{dataset}/history")).AsArray();

            Expect(one["restriction"]!, "objection-pending", reads ? Objection : null, role);
            foreach (var withdrawal in new[] { one["latestVersion"]!["withdrawal"]!, listed["latestVersion"]!["withdrawal"]!, versions[1]!["withdrawal"]!, version["withdrawal"]! })
            {
                Expect(withdrawal, "erasure-request", reads ? Erasure : null, role);
            }
            Expect(history.Single(e => e!["type"]!.GetValue<string>() == "DatasetRestricted")!["data"]!, "objection-pending", reads ? Objection : null, role);
            Expect(history.Single(e => e!["type"]!.GetValue<string>() == "DatasetVersionWithdrawn")!["data"]!, "erasure-request", reads ? Erasure : null, role);
        }
    }

    private static void Expect(JsonNode shown, string reason, string? note, string role)
    {
        shown["reason"]!.GetValue<string>().ShouldBe(reason, role);
        shown["note"]?.GetValue<string>().ShouldBe(note, role);
        (shown["note"] is null).ShouldBe(note is null, role);
    }

    private static async Task<JsonNode> ReadAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        var body = await DatasetApi.ReadJsonAsync(response);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, path + " " + body.ToJsonString());
        return body;
    }
}
