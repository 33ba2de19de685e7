extern alias cli;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Policies.ActivatingBundle;
using BalticAI.Sovereignty.Api.Policies.AssessingImpact;
using BalticAI.Sovereignty.Api.Policies.Engines;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Platform.ProblemAndOpenApiTests;

namespace BalticAI.Sovereignty.Api.Tests.Policies;

/// <summary>
/// `POST /policies/impact`: before activating a bundle, a PolicyAdmin learns which recorded decisions it would have
/// decided otherwise, and nothing is activated or recorded; alike whichever engine decides (the subclasses).
/// </summary>
public abstract class ImpactAssessmentTests<TBroker>(TBroker broker) where TBroker : BrokerFactory
{
    /// <summary>The test policy with the research-only rule gone, the country rule renamed and a duty bound on every allow.</summary>
    private static readonly string ReworkedPolicy = TestPolicy
        .Replace("\"rule\": \"site-country\"", "\"rule\": \"site-outside-allowed\"", StringComparison.Ordinal)
        .Replace("\tinput.job.commercial\n}", "\tinput.job.commercial\n\tfalse\n}", StringComparison.Ordinal)
        + "\nobligations contains {\"type\": \"log-every-read\"} if allow\n";

    protected TBroker Broker => broker;

    protected HttpClient Admin => broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin);

    [Fact]
    public async Task A_candidate_that_drops_a_country_names_each_decision_it_would_deny_and_activates_and_records_nothing()
    {
        var active = await ActivateAsync(broker, Bundle($"impact-base-{Guid.NewGuid():N}"));
        var job = await RegisterJobAsync(broker, await RegisterSiteAsync(broker, $"pl-imp-{Guid.NewGuid():N}"[..20], "PL"), commercial: false);
        var plain = await DecideAsync(job, await RegisterDatasetAsync(broker, researchOnly: false));
        var researchOnly = await DecideAsync(job, await RegisterDatasetAsync(broker, researchOnly: true));
        var candidate = Bundle($"impact-no-pl-{Guid.NewGuid():N}");
        candidate["data"]!["allowedCountries"] = new JsonArray("EE", "LT", "LV");
        var events = await CountEventsAsync(broker, "policy_bundle_activated");
        var engine = broker.Services.GetRequiredService<EmbeddedRegoEngine>();
        var compilations = engine.Compilations;

        var report = await AssessOnceIndexedAsync(candidate, $"job={job}", decisions: 2);

        report["candidate"]!["revision"]!.GetValue<string>().ShouldBe(candidate["revision"]!.GetValue<string>());
        report["active"]!["digest"]!.GetValue<string>().ShouldBe(active);
        report["engine"]!.GetValue<string>().ShouldBe("embedded");
        report["tests"]!["passed"]!.GetValue<int>().ShouldBe(1);
        Summary(report).ShouldBe("unchanged 0, nowDenied 2, nowAllowed 0, obligationsChanged 0, reasonsChanged 0, failed 0, activeGrants 2");
        var changes = report["changes"]!.AsArray();
        changes.Select(c => c!["decisionId"]!.GetValue<string>()).ShouldBe([researchOnly["decisionId"]!.GetValue<string>(), plain["decisionId"]!.GetValue<string>()]);
        foreach (var change in changes)
        {
            change!["change"]!.GetValue<string>().ShouldBe("now-denied");
            change["recorded"]!["allowed"]!.GetValue<bool>().ShouldBeTrue();
            change["candidate"]!["allowed"]!.GetValue<bool>().ShouldBeFalse();
            change["candidate"]!["rules"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldBe(["site-country"]);
            change["grant"]!["status"]!.GetValue<string>().ShouldBe("active");
            change["bundle"]!["digest"]!.GetValue<string>().ShouldBe(active);
            change["jobId"]!.GetValue<string>().ShouldBe(job.ToString());
        }
        changes[0]!["recorded"]!["obligations"]!.AsArray().Single()!["type"]!.GetValue<string>().ShouldBe("model-inherits-non-commercial");
        var scope = report["scope"]!;
        scope["selected"]!.GetValue<int>().ShouldBe(2);
        scope["everyMatchingDecision"]!.GetValue<bool>().ShouldBeTrue();
        scope["stoppedBecause"].ShouldBeNull();
        (await CountEventsAsync(broker, "policy_bundle_activated")).ShouldBe(events);
        // Evaluated on the policy the checks compiled: the engine's cache of recorded bundles is left alone.
        engine.Compilations.ShouldBe(compilations);
        (await DatasetApi.ReadJsonAsync(await Admin.GetAsync("/policies/active")))["digest"]!.GetValue<string>().ShouldBe(active);
    }

    [Fact]
    public async Task Each_kind_of_change_is_named_and_an_unchanged_decision_is_only_counted()
    {
        await ActivateAsync(broker, Bundle($"impact-kinds-{Guid.NewGuid():N}"));
        var since = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var commercial = await RegisterJobAsync(broker, await RegisterSiteAsync(broker, $"pl-imk-{Guid.NewGuid():N}"[..20], "PL"), commercial: true);
        var abroad = await RegisterJobAsync(broker, await RegisterSiteAsync(broker, $"de-imk-{Guid.NewGuid():N}"[..20], "DE"), commercial: false);
        var allowed = await DecideAsync(commercial, await RegisterDatasetAsync(broker, researchOnly: false));
        var researchOnly = await DecideAsync(commercial, await RegisterDatasetAsync(broker, researchOnly: true));
        var outside = await DecideAsync(abroad, await RegisterDatasetAsync(broker, researchOnly: false));
        var candidate = Bundle($"impact-reworked-{Guid.NewGuid():N}", ReworkedPolicy);

        var report = await AssessOnceIndexedAsync(candidate, $"from={since}", decisions: 3);

        Summary(report).ShouldBe("unchanged 0, nowDenied 0, nowAllowed 1, obligationsChanged 1, reasonsChanged 1, failed 0, activeGrants 1");
        var byDecision = report["changes"]!.AsArray().ToDictionary(c => c!["decisionId"]!.GetValue<string>(), c => c!);
        var loosened = byDecision[researchOnly["decisionId"]!.GetValue<string>()];
        loosened["change"]!.GetValue<string>().ShouldBe("now-allowed");
        loosened["recorded"]!["rules"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldBe(["research-only"]);
        loosened["grant"].ShouldBeNull();
        var bound = byDecision[allowed["decisionId"]!.GetValue<string>()];
        bound["change"]!.GetValue<string>().ShouldBe("obligations-changed");
        bound["candidate"]!["obligations"]!.AsArray().Select(o => o!["type"]!.GetValue<string>()).ShouldBe(["log-every-read"]);
        var renamed = byDecision[outside["decisionId"]!.GetValue<string>()];
        renamed["change"]!.GetValue<string>().ShouldBe("reasons-changed");
        renamed["candidate"]!["rules"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldBe(["site-outside-allowed"]);

        // The same decisions under the bundle they were made under: nothing to list.
        var same = await AssessAsync(Bundle($"impact-same-{Guid.NewGuid():N}"), $"from={since}&limit=3");
        Summary(same).ShouldBe("unchanged 3, nowDenied 0, nowAllowed 0, obligationsChanged 0, reasonsChanged 0, failed 0, activeGrants 0");
        same["changes"]!.AsArray().ShouldBeEmpty();
        same["scope"]!["everyMatchingDecision"]!.GetValue<bool>().ShouldBeTrue();
        var fewer = await AssessAsync(Bundle($"impact-same-{Guid.NewGuid():N}"), $"from={since}&limit=2");
        fewer["scope"]!["selected"]!.GetValue<int>().ShouldBe(2);
        fewer["scope"]!["everyMatchingDecision"]!.GetValue<bool>().ShouldBeFalse();
        fewer["scope"]!["newest"]!.GetValue<DateTimeOffset>().ShouldBe(same["scope"]!["newest"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task A_candidate_that_raises_an_error_on_a_recorded_input_counts_it_failed_with_the_engines_error()
    {
        await ActivateAsync(broker, Bundle($"impact-err-base-{Guid.NewGuid():N}"));
        var job = await RegisterJobAsync(broker, await RegisterSiteAsync(broker, $"pl-ime-{Guid.NewGuid():N}"[..20], "PL"), commercial: false);
        var decided = await DecideAsync(job, await RegisterDatasetAsync(broker, researchOnly: false));
        var conflicting = TestPolicy + """


            tier := t if {
            	not input.job.commercial
            	some t in ["research", "public"]
            }

            deny contains {"rule": "tier", "message": "the job has no tier", "source": "test"} if tier == "none"
            """;

        var report = await AssessOnceIndexedAsync(Bundle($"impact-conflict-{Guid.NewGuid():N}", conflicting), $"job={job}", decisions: 1);

        Summary(report).ShouldBe("unchanged 0, nowDenied 0, nowAllowed 0, obligationsChanged 0, reasonsChanged 0, failed 1, activeGrants 1");
        var failed = report["changes"]!.AsArray().Single()!;
        failed["decisionId"]!.GetValue<string>().ShouldBe(decided["decisionId"]!.GetValue<string>());
        failed["change"]!.GetValue<string>().ShouldBe("failed");
        failed["candidate"]!["allowed"].ShouldBeNull();
        failed["candidate"]!["errors"]!.AsArray().Single()!.GetValue<string>().ShouldContain("eval_conflict_error: complete rules must not produce multiple outputs");
    }

    [Fact]
    public async Task A_candidate_activation_would_refuse_is_refused_alike_before_any_decision_is_read()
    {
        var failingTests = TestPolicyTests.Replace("access.allow with", "not access.allow with", StringComparison.Ordinal);

        var refused = await Admin.PostAsJsonAsync("/policies/impact", Bundle($"impact-failing-{Guid.NewGuid():N}", tests: failingTests));

        var problem = await ShouldBeProblemAsync(refused, (HttpStatusCode)422);
        problem["title"]!.GetValue<string>().ShouldBe("The bundle is not acceptable");
        problem["detail"]!.GetValue<string>().ShouldBe("the bundle's tests fail");
        problem["errors"]!["modules"]!.AsArray().First()!.GetValue<string>().ShouldBe("access/access_test.rego: data.balticai.access_test.test_allow_plain_dataset: FAIL (undefined)");
    }

    [Fact]
    public async Task A_second_assessment_while_one_runs_is_429_with_Retry_After_and_the_next_one_runs()
    {
        var gate = broker.Services.GetRequiredService<ImpactGate>();
        gate.TryEnter().ShouldBeTrue();
        HttpResponseMessage refused;
        try
        {
            refused = await Admin.PostAsJsonAsync("/policies/impact?limit=1", Bundle($"impact-busy-{Guid.NewGuid():N}"));
        }
        finally
        {
            gate.Exit();
        }

        var problem = await ShouldBeProblemAsync(refused, HttpStatusCode.TooManyRequests);
        problem["title"]!.GetValue<string>().ShouldBe("An impact assessment is already running");
        refused.Headers.RetryAfter!.Delta.ShouldBe(ImpactGate.RetryAfter);
        (await AssessAsync(Bundle($"impact-after-busy-{Guid.NewGuid():N}"), "limit=1"))["scope"]!["limit"]!.GetValue<int>().ShouldBe(1);
        var reads = await CountEventsAsync(broker, "ledger_read_recorded");
        var auditor = await broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor).PostAsJsonAsync("/policies/impact?limit=1", Bundle($"impact-audited-{Guid.NewGuid():N}"));
        auditor.StatusCode.ShouldBe(HttpStatusCode.OK, await auditor.Content.ReadAsStringAsync());
        (await CountEventsAsync(broker, "ledger_read_recorded")).ShouldBe(reads + 1);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=10001", "limit")]
    [InlineData("dataset=not-a-uuid", "dataset")]
    [InlineData("from=2026-12-02&to=2026-12-01", "to")]
    [InlineData("colour=red", "colour")]
    public async Task A_query_that_names_no_sample_is_400_naming_the_parameter(string query, string parameter)
    {
        var refused = await Admin.PostAsJsonAsync($"/policies/impact?{query}", Bundle($"impact-query-{Guid.NewGuid():N}"));

        var problem = await ShouldBeProblemAsync(refused, HttpStatusCode.BadRequest);
        problem["errors"]!.AsObject().Select(e => e.Key).ShouldBe([parameter]);
    }

    [Fact]
    public async Task The_cli_prints_each_change_and_exits_1_and_exits_0_when_nothing_would_change()
    {
        var revision = $"impact-cli-{Guid.NewGuid():N}";
        await ActivateAsync(broker, Bundle(revision));
        var job = await RegisterJobAsync(broker, await RegisterSiteAsync(broker, $"pl-imc-{Guid.NewGuid():N}"[..20], "PL"), commercial: false);
        var decided = await DecideAsync(job, await RegisterDatasetAsync(broker, researchOnly: false));
        var candidate = Bundle($"impact-cli-no-pl-{Guid.NewGuid():N}");
        candidate["data"]!["allowedCountries"] = new JsonArray("EE");
        await AssessOnceIndexedAsync(candidate, $"job={job}", decisions: 1);

        var (changed, printed, _) = await RunCliAsync(candidate, $"job={job}");
        var (unchanged, same, _) = await RunCliAsync(Bundle(revision), $"job={job}");
        var (refused, _, why) = await RunCliAsync(Bundle(revision), "limit=0");

        changed.ShouldBe(1);
        printed.ShouldContain("1 of 1 decisions taken again (every matching decision, decided ");
        printed.ShouldContain("unchanged 0, now-denied 1, now-allowed 0, obligations-changed 0, reasons-changed 0, failed 0, active-grants 1");
        printed.ShouldContain($"now-denied 1 decision of job {job} on dataset ");
        printed.ShouldContain($", newest {decided["decisionId"]}, grant {decided["grant"]!["id"]} (active)");
        printed.ShouldContain("1 active grants would be revoked on activation, their training systems told");
        printed.ShouldNotContain("older matching decisions were not taken again");
        printed.ShouldContain($"    recorded:  allow{Environment.NewLine}    candidate: deny, rules site-country");
        unchanged.ShouldBe(0);
        same.ShouldContain("unchanged 1, now-denied 0");
        refused.ShouldBe(2);
        why.ShouldContain("limit: ");
        await DecideAsync(job, await RegisterDatasetAsync(broker, researchOnly: false));
        await AssessOnceIndexedAsync(candidate, $"job={job}", decisions: 2);
        var (_, newestOnly, _) = await RunCliAsync(candidate, $"job={job}&limit=1");
        newestOnly.ShouldContain("1 of 1 decisions taken again (the newest 1 matching, decided ");
        newestOnly.ShouldContain("older matching decisions were not taken again (a larger --limit shows them)");
    }

    private async Task<(int Exit, string Output, string Error)> RunCliAsync(JsonObject body, string query)
    {
        var bundle = BundleOf(body);
        var (output, error) = (new StringWriter(), new StringWriter());
        var exit = await cli::BalticAI.Sovereignty.Cli.Policy.ImpactCommand.RunAsync(Admin, bundle, query, json: false, output, error, CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }

    protected Task<JsonNode> DecideAsync(Guid job, Guid dataset) => AskForOneAsync(broker, job, dataset);

    private async Task<JsonNode> AssessAsync(JsonObject candidate, string query)
    {
        var response = await Admin.PostAsJsonAsync($"/policies/impact?{query}", candidate);
        var report = await DatasetApi.ReadJsonAsync(response);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, report.ToJsonString());
        return report;
    }

    /// <summary>The report once the ledger's event index holds the <paramref name="decisions"/> just made (it follows the ledger).</summary>
    protected async Task<JsonNode> AssessOnceIndexedAsync(JsonObject candidate, string query, int decisions)
    {
        JsonNode report = new JsonObject();
        var indexed = await Eventually.HoldsWithinAsync(TimeSpan.FromSeconds(20), async () =>
        {
            report = await AssessAsync(candidate, query);
            return report["scope"]!["evaluated"]!.GetValue<int>() == decisions;
        });
        indexed.ShouldBeTrue(report.ToJsonString());
        return report;
    }

    protected static string Summary(JsonNode report) =>
        string.Join(", ", report["summary"]!.AsObject().Select(p => $"{p.Key} {p.Value}"));
}

/// <summary>The broker's own engine decides.</summary>
public sealed class EmbeddedImpactAssessmentTests(BrokerFactory broker) : ImpactAssessmentTests<BrokerFactory>(broker), IClassFixture<BrokerFactory>;

/// <summary>OPA decides; the candidate is still evaluated by the embedded engine and never reaches OPA.</summary>
public sealed class OpaImpactAssessmentTests(OpaBrokerFactory broker) : ImpactAssessmentTests<OpaBrokerFactory>(broker), IClassFixture<OpaBrokerFactory>
{
    [Fact]
    public async Task An_assessment_sends_OPA_nothing()
    {
        await ActivateAsync(Broker, Bundle($"impact-opa-{Guid.NewGuid():N}"));
        var job = await RegisterJobAsync(Broker, await RegisterSiteAsync(Broker, $"pl-imo-{Guid.NewGuid():N}"[..20], "PL"), commercial: false);
        await DecideAsync(job, await RegisterDatasetAsync(Broker, researchOnly: false));
        var candidate = Bundle($"impact-opa-no-pl-{Guid.NewGuid():N}");
        candidate["data"]!["allowedCountries"] = new JsonArray("LV");
        await AssessOnceIndexedAsync(candidate, $"job={job}", decisions: 1);
        var exchanges = Broker.Opa.Exchanges.Count;
        var modules = Broker.Opa.Store.Modules.ToDictionary();

        var report = await AssessOnceIndexedAsync(candidate, $"job={job}", decisions: 1);

        Summary(report).ShouldStartWith("unchanged 0, nowDenied 1,");
        report["engine"]!.GetValue<string>().ShouldBe("embedded");
        Broker.Opa.Exchanges.Skip(exchanges).ShouldBeEmpty();
        Broker.Opa.Store.Modules.ShouldBe(modules);
    }
}
