using System.Net;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Api.Tests.Provenance;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Platform.ProblemAndOpenApiTests;

namespace BalticAI.Sovereignty.Api.Tests.Decisions;

/// <summary>
/// A member named twice in one object: the schema saw one value and the typed reading the other, so a
/// body passed its schema with a value the schema refuses. Refused as malformed, and nothing is recorded.
/// </summary>
public sealed class DuplicateMemberTests(BrokerFactory broker) : IClassFixture<BrokerFactory>, IAsyncLifetime
{
    private Guid _site;

    public async Task InitializeAsync()
    {
        await ActivateAsync(broker, Bundle("duplicate-members-1"));
        _site = await RegisterSiteAsync(broker, $"pl-dup-{Guid.NewGuid():N}"[..20], "PL");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task An_access_request_naming_datasets_twice_is_400_not_an_empty_answer()
    {
        var job = await RegisterJobAsync(broker, _site, commercial: false);
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);
        var body = Ask((dataset, 1)).ToJsonString()[..^1] + ""","datasets":[]}""";

        var response = await ProvenanceWorld.TrainingSystem(broker).SendAsync(HttpMethod.Post, $"/training-jobs/{job}/access-requests", body);

        (await ShouldBeProblemAsync(response, HttpStatusCode.BadRequest))["errors"]!.AsObject().Select(e => e.Key).ShouldBe(["/datasets"]);
    }

    [Fact]
    public async Task A_release_naming_bytes_twice_is_400_and_not_recorded()
    {
        var job = await RegisterJobAsync(broker, _site, commercial: false);
        var grantId = await ProvenanceWorld.GrantAsync(broker, job, await RegisterDatasetAsync(broker, researchOnly: false));
        var before = await CountEventsAsync(broker, "grant_redeemed");
        var body = GrantTokens.Release(grantId, 4096).ToJsonString()[..^1] + ""","bytes":-4096}""";

        var response = await broker.ClientFor(TestTenants.PlCyfronet, Roles.DataPlane).SendAsync(HttpMethod.Post, $"/grants/{grantId}/redemptions", body);

        (await ShouldBeProblemAsync(response, HttpStatusCode.BadRequest))["errors"]!.AsObject().Select(e => e.Key).ShouldBe(["/bytes"]);
        (await CountEventsAsync(broker, "grant_redeemed")).ShouldBe(before);
    }

    [Fact]
    public async Task A_site_naming_its_code_twice_is_400_and_not_recorded()
    {
        var site = Site($"pl-dup-{Guid.NewGuid():N}"[..20], "PL");
        var body = site.ToJsonString()[..^1] + ""","code":"NOT A CODE"}""";
        var before = await CountEventsAsync(broker, "compute_site_registered");

        var response = await broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin).SendAsync(HttpMethod.Post, "/sites", body);

        (await ShouldBeProblemAsync(response, HttpStatusCode.BadRequest))["errors"]!.AsObject().Select(e => e.Key).ShouldBe(["/code"]);
        (await CountEventsAsync(broker, "compute_site_registered")).ShouldBe(before);
    }

    [Fact]
    public async Task A_job_naming_a_member_twice_deep_in_the_body_is_400()
    {
        var job = Job(_site, commercial: false);
        var model = job["model"]!.ToJsonString()[..^1] + $$""","name":"{{new string('x', 5000)}}"}""";
        job.Remove("model");
        var body = job.ToJsonString()[..^1] + $$""","model":{{model}}}""";

        var response = await ProvenanceWorld.TrainingSystem(broker).SendAsync(HttpMethod.Post, "/training-jobs", body);

        (await ShouldBeProblemAsync(response, HttpStatusCode.BadRequest))["errors"]!.AsObject().Select(e => e.Key).ShouldBe(["/model/name"]);
    }
}
