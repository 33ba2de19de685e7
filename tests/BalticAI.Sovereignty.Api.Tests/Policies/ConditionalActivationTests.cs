using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Policies;
using BalticAI.Sovereignty.Api.Policies.Engines;
using BalticAI.Sovereignty.Api.Policies.Lifecycle;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Rego;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Platform.ProblemAndOpenApiTests;

namespace BalticAI.Sovereignty.Api.Tests.Policies;

/// <summary>
/// A PolicyAdmin judges a candidate against the bundle in force (its tests, an impact report) and then activates it; an
/// activation by someone else in between would be replaced unseen. The active policy's ETag names its activation, and
/// an activation with If-Match is recorded only while that activation is the last one.
/// </summary>
public sealed class ConditionalActivationTests(BrokerFactory broker) : IClassFixture<BrokerFactory>
{
    private HttpClient Admin => broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin);

    [Fact]
    public async Task The_active_policy_names_its_activation_and_an_activation_answers_with_the_next()
    {
        var before = await ActiveAsync();
        var bundle = Distinct($"conditional-{Guid.NewGuid():N}");

        var response = await ActivateIfAsync(bundle, before.ETag);

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var answered = response.Headers.ETag!.Tag;
        Version(answered).ShouldBe(Version(before.ETag) + 1);
        var after = await ActiveAsync();
        after.ETag.ShouldBe(answered);
        after.Digest.ShouldBe((await DatasetApi.ReadJsonAsync(response))["digest"]!.GetValue<string>());
        Version(answered).ShouldBe(await LedgerVersionAsync());
    }

    [Fact]
    public async Task An_activation_naming_one_that_was_since_replaced_is_412_and_records_nothing()
    {
        var read = await ActiveAsync();
        var other = await ActivateAsync(broker, Distinct($"conditional-other-{Guid.NewGuid():N}"));
        var activations = await CountEventsAsync(broker, "policy_bundle_activated");
        var late = Distinct($"conditional-late-{Guid.NewGuid():N}");

        var refused = await ActivateIfAsync(late, read.ETag);

        var problem = await ShouldBeProblemAsync(refused, HttpStatusCode.PreconditionFailed);
        problem["detail"]!.GetValue<string>().ShouldContain($"The active policy changed: its current ETag is \"{Version(read.ETag) + 1}\"");
        refused.Headers.ETag!.Tag.ShouldBe($"\"{Version(read.ETag) + 1}\"");
        (await CountEventsAsync(broker, "policy_bundle_activated")).ShouldBe(activations);
        (await ActiveAsync()).Digest.ShouldBe(other);
        // Nothing of it was kept: under the current ETag the same bundle goes.
        (await ActivateIfAsync(late, refused.Headers.ETag.Tag)).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Of_two_activations_naming_the_same_one_only_the_first_is_recorded()
    {
        var read = await ActiveAsync();
        var activations = await CountEventsAsync(broker, "policy_bundle_activated");

        var answers = await Task.WhenAll(
            ActivateIfAsync(Distinct($"conditional-a-{Guid.NewGuid():N}"), read.ETag),
            ActivateIfAsync(Distinct($"conditional-b-{Guid.NewGuid():N}"), read.ETag));

        answers.Select(a => a.StatusCode).Order().ShouldBe([HttpStatusCode.Created, HttpStatusCode.PreconditionFailed]);
        (await CountEventsAsync(broker, "policy_bundle_activated")).ShouldBe(activations + 1);
        var winner = answers.Single(a => a.StatusCode == HttpStatusCode.Created);
        (await ActiveAsync()).Digest.ShouldBe((await DatasetApi.ReadJsonAsync(winner))["digest"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("W/\"3\"")]
    [InlineData("*")]
    [InlineData("\"three\"")]
    [InlineData("\"0\"")]
    public async Task A_malformed_If_Match_is_400_whatever_the_body(string ifMatch)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/policies/bundles")
        {
            Content = new StringContent("{", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);

        var problem = await ShouldBeProblemAsync(await Admin.SendAsync(request), HttpStatusCode.BadRequest);

        problem["errors"]!["If-Match"]!.AsArray().Single()!.GetValue<string>().ShouldContain("one strong ETag");
    }

    [Fact]
    public async Task An_impact_report_names_the_activation_it_compared_with()
    {
        await ActivateAsync(broker, Distinct($"conditional-impact-{Guid.NewGuid():N}"));
        var active = await ActiveAsync();

        var response = await Admin.PostAsJsonAsync("/policies/impact?limit=1", Distinct($"conditional-candidate-{Guid.NewGuid():N}"));

        var report = await DatasetApi.ReadJsonAsync(response);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, report.ToJsonString());
        report["activeVersion"]!.GetValue<long>().ShouldBe(Version(active.ETag));
        report["active"]!["digest"]!.GetValue<string>().ShouldBe(active.Digest);
    }

    [Fact]
    public async Task A_node_takes_the_activation_of_a_bundle_activated_elsewhere_even_when_it_already_holds_that_bundle()
    {
        var lifecycle = broker.Services.GetRequiredService<PolicyLifecycle>();
        var elsewhere = new PolicyLifecycle(broker.Services.GetRequiredService<IDocumentStore>(), new EmbeddedRegoEngine(RegoOptions.Default),
            broker.Services.GetRequiredService<PolicyOptions>(), TimeProvider.System);
        var held = BundleOf(Distinct($"conditional-held-{Guid.NewGuid():N}"));
        var between = BundleOf(Distinct($"conditional-between-{Guid.NewGuid():N}"));
        await lifecycle.ActivateAsync(held, PolicySetup.BrokerActor, CancellationToken.None);

        await elsewhere.ActivateAsync(between, PolicySetup.BrokerActor, CancellationToken.None);
        var rolledBack = await elsewhere.ActivateAsync(held, PolicySetup.BrokerActor, CancellationToken.None);
        await lifecycle.RefreshAsync(CancellationToken.None);

        var active = await ActiveAsync();
        active.Digest.ShouldBe(held.Digest);
        Version(active.ETag).ShouldBe(rolledBack.Version);
        (await ActivateIfAsync(Distinct($"conditional-after-{Guid.NewGuid():N}"), active.ETag)).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    /// <summary>A bundle of its own content: bundles differing only in revision share a digest.</summary>
    internal static JsonObject Distinct(string revision) => Bundle(revision, TestPolicy + $"\n# {revision}\n");

    internal static long Version(string etag) => long.Parse(etag.Trim('"'), System.Globalization.CultureInfo.InvariantCulture);


    private async Task<HttpResponseMessage> ActivateIfAsync(JsonObject bundle, string etag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/policies/bundles") { Content = JsonContent.Create(bundle) };
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        return await Admin.SendAsync(request);
    }

    private Task<(string ETag, string Digest)> ActiveAsync() => ActiveAsync(broker);

    /// <summary>The active policy's ETag and digest, once the broker has a bundle in force.</summary>
    internal static async Task<(string ETag, string Digest)> ActiveAsync(BrokerFactory broker)
    {
        await WaitForShippedBundleAsync(broker);
        var response = await broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin).GetAsync("/policies/active");
        var body = await DatasetApi.ReadJsonAsync(response);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return (response.Headers.ETag!.Tag, body["digest"]!.GetValue<string>());
    }

    private async Task<long> LedgerVersionAsync()
    {
        await using var session = broker.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.Events.FetchStreamStateAsync(PolicyLifecycle.StreamId))!.Version;
    }
}
