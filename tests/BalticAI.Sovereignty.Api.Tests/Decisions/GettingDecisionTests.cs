using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Security;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Platform.ProblemAndOpenApiTests;

namespace BalticAI.Sovereignty.Api.Tests.Decisions;

/// <summary>`GET /decisions/{id}`: one recorded decision, checkable elsewhere, for those it concerns and nobody else.</summary>
public sealed class GettingDecisionTests(BrokerFactory broker) : IClassFixture<BrokerFactory>
{
    [Fact]
    public async Task An_allowed_decision_reads_as_recorded_with_its_bundle_its_grant_and_an_input_that_hashes_to_its_digest()
    {
        var digest = await ActivateAsync(broker, Bundle("get-decision-1"));
        var (job, dataset, decisionId, answer) = await DecideAsync(researchOnly: false, commercial: false);

        var response = await broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem).GetAsync($"/decisions/{decisionId}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var body = await DatasetApi.ReadJsonAsync(response);
        body["decisionId"]!.GetValue<string>().ShouldBe(decisionId);
        body["jobId"]!.GetValue<Guid>().ShouldBe(job);
        body["datasetId"]!.GetValue<Guid>().ShouldBe(dataset);
        body["version"]!.GetValue<int>().ShouldBe(1);
        body["allowed"]!.GetValue<bool>().ShouldBeTrue();
        body["bundle"]!["revision"]!.GetValue<string>().ShouldBe("get-decision-1");
        body["bundle"]!["digest"]!.GetValue<string>().ShouldBe(digest);
        body["grantId"]!.GetValue<string>().ShouldBe(answer["grant"]!["id"]!.GetValue<string>());
        body["inputDigest"]!.GetValue<string>().ShouldBe(CanonicalJson.Sha256(body["input"]!));
        body["input"]!["dataset"]!["id"]!.GetValue<Guid>().ShouldBe(dataset);
    }

    [Fact]
    public async Task A_denied_decision_reads_with_every_reason_and_no_grant()
    {
        await ActivateAsync(broker, Bundle("get-decision-2"));
        var (_, _, decisionId, _) = await DecideAsync(researchOnly: true, commercial: true);

        var response = await broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor).GetAsync($"/decisions/{decisionId}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var body = await DatasetApi.ReadJsonAsync(response);
        body["allowed"]!.GetValue<bool>().ShouldBeFalse();
        body["reasons"]!.AsArray().Select(r => r!["rule"]!.GetValue<string>()).ShouldContain("research-only");
        body["grantId"].ShouldBeNull();
    }

    [Fact]
    public async Task The_asking_training_system_the_owner_auditors_policy_admins_and_the_regulators_concerned_read_it_and_nobody_else()
    {
        await ActivateAsync(broker, Bundle("get-decision-3"));
        // pl-mc's dataset, asked for by pl-cyfronet for a job on a Polish site: it concerns Poland only.
        var (_, _, decisionId, _) = await DecideAsync(researchOnly: false, commercial: false);

        async Task<HttpStatusCode> Read(string tenant, string role) =>
            (await broker.ClientFor(tenant, role).GetAsync($"/decisions/{decisionId}")).StatusCode;

        (await Read(TestTenants.PlCyfronet, Roles.TrainingSystem)).ShouldBe(HttpStatusCode.OK);
        (await Read(TestTenants.PlMinistry, Roles.DataOwner)).ShouldBe(HttpStatusCode.OK);
        (await Read(TestTenants.EeAki, Roles.Auditor)).ShouldBe(HttpStatusCode.OK);
        (await Read(TestTenants.PlMinistry, Roles.PolicyAdmin)).ShouldBe(HttpStatusCode.OK);
        (await Read(TestTenants.PlUodo, Roles.Regulator)).ShouldBe(HttpStatusCode.OK);
        (await Read(TestTenants.EuAiOffice, Roles.Regulator)).ShouldBe(HttpStatusCode.OK);

        var strangers = new[]
        {
            broker.ClientFor(TestTenants.LtRegisters, Roles.TrainingSystem),
            broker.ClientFor(TestTenants.PlSpeakLeash, Roles.DataOwner),
            broker.ClientFor(TestTenants.EeAki, Roles.Regulator),
        };
        foreach (var stranger in strangers)
        {
            await ShouldBeProblemAsync(await stranger.GetAsync($"/decisions/{decisionId}"), HttpStatusCode.NotFound);
        }
    }

    [Fact]
    public async Task An_unknown_id_and_the_id_of_something_else_are_404()
    {
        await ActivateAsync(broker, Bundle("get-decision-4"));
        var (job, _, _, _) = await DecideAsync(researchOnly: false, commercial: false);
        var auditor = broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor);

        await ShouldBeProblemAsync(await auditor.GetAsync($"/decisions/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
        await ShouldBeProblemAsync(await auditor.GetAsync($"/decisions/{job}"), HttpStatusCode.NotFound);
    }

    private async Task<(Guid Job, Guid Dataset, string DecisionId, JsonNode Answer)> DecideAsync(bool researchOnly, bool commercial)
    {
        var job = await RegisterJobAsync(broker, await RegisterSiteAsync(broker, $"pl-dec-{Guid.NewGuid():N}"[..20], "PL"), commercial);
        var dataset = await RegisterDatasetAsync(broker, researchOnly);
        var asked = await broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem).PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)));
        asked.StatusCode.ShouldBe(HttpStatusCode.OK, await asked.Content.ReadAsStringAsync());
        var answer = (await DatasetApi.ReadJsonAsync(asked))["decisions"]![0]!;
        return (job, dataset, answer["decisionId"]!.GetValue<string>(), answer);
    }
}
