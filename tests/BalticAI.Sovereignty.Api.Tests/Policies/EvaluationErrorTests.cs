using System.Net;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Policies.Bundles;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Platform.ProblemAndOpenApiTests;

namespace BalticAI.Sovereignty.Api.Tests.Policies;

/// <summary>
/// A bundle whose rule conflicts for some inputs, under either engine (the subclasses): a dry run on such an input
/// shows the engine's error with the bundle (422, the same answer from both), and a decision on it gets no answer at
/// all (503, nothing recorded), as for an engine that cannot answer.
/// </summary>
public abstract class EvaluationErrorTests<TBroker>(TBroker broker) : IAsyncLifetime where TBroker : BrokerFactory
{
    public const string Revision = "conflicting-tier";

    /// <summary>The test policy with a complete rule that has two values whenever the job is not commercial.</summary>
    public const string ConflictingPolicy = TestPolicy + """


        tier := t if {
        	not input.job.commercial
        	some t in ["research", "public"]
        }

        deny contains {"rule": "tier", "message": "the job has no tier", "source": "test"} if tier == "none"
        """;

    protected TBroker Broker => broker;

    protected string Digest { get; private set; } = "";

    /// <summary>The line of the conflicting rule in access/access.rego.</summary>
    protected static int TierLine => ConflictingPolicy.Split('\n').TakeWhile(l => !l.StartsWith("tier := t", StringComparison.Ordinal)).Count() + 1;

    private HttpClient PolicyAdmin => broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin);

    public async Task InitializeAsync()
    {
        // The first start records the shipped bundle; activating before that is done would race it.
        await WaitForShippedBundleAsync(broker);
        Digest = await ActivateAsync(broker, Bundle(Revision, ConflictingPolicy));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    protected static JsonObject DryRun(bool commercial, string? query = null)
    {
        var body = new JsonObject
        {
            ["input"] = new JsonObject
            {
                ["dataset"] = new JsonObject { ["status"] = "active", ["licensing"] = new JsonObject { ["restrictions"] = new JsonArray() } },
                ["job"] = new JsonObject { ["commercial"] = commercial },
                ["site"] = new JsonObject { ["country"] = "PL" },
            },
        };
        if (query is not null)
        {
            body["query"] = query;
        }
        return body;
    }

    [Theory]
    [InlineData(null)]
    [InlineData("data.balticai.access.tier")]
    public async Task A_dry_run_on_an_input_the_rule_conflicts_for_is_422_with_the_engines_error_and_the_bundle(string? query)
    {
        var decided = await CountEventsAsync(broker, "access_decided");

        var response = await PolicyAdmin.PostJsonAsync("/policies/evaluate", DryRun(commercial: false, query));

        var problem = await ShouldBeProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        problem["title"]!.GetValue<string>().ShouldBe("The policy cannot be evaluated on this input");
        var error = problem["errors"]!["evaluation"]!.AsArray().Single()!.GetValue<string>();
        error.ShouldStartWith($"access/access.rego:{TierLine}: eval_conflict_error: complete rules must not produce multiple outputs");
        problem["revision"]!.GetValue<string>().ShouldBe(Revision);
        problem["digest"]!.GetValue<string>().ShouldBe(Digest);
        problem["query"]!.GetValue<string>().ShouldBe(query ?? PolicyBundle.DecisionQuery);
        response.Headers.RetryAfter.ShouldBeNull();
        (await CountEventsAsync(broker, "access_decided")).ShouldBe(decided);
    }

    [Fact]
    public async Task An_access_request_that_hits_the_conflict_is_503_with_Retry_After_and_records_nothing()
    {
        var site = await RegisterSiteAsync(broker, $"pl-ee-{Guid.NewGuid():N}"[..20], "PL");
        var job = await RegisterJobAsync(broker, site, commercial: false);
        var dataset = await RegisterDatasetAsync(broker, researchOnly: false);
        var decided = await CountEventsAsync(broker, "access_decided");
        var granted = await CountEventsAsync(broker, "grant_issued");

        var response = await broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem).PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)));

        await OpaEngineTests.ShouldBeUnavailableAsync(response);
        (await CountEventsAsync(broker, "access_decided")).ShouldBe(decided);
        (await CountEventsAsync(broker, "grant_issued")).ShouldBe(granted);
    }
}

/// <summary>The embedded engine's answers to the conflicting bundle.</summary>
public sealed class DryRunEvaluationErrorTests(BrokerFactory broker) : EvaluationErrorTests<BrokerFactory>(broker), IClassFixture<BrokerFactory>;
