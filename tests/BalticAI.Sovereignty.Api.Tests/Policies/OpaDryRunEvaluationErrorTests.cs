using System.Net;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Datasets;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Rego;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;
using static BalticAI.Sovereignty.Api.Tests.Platform.ProblemAndOpenApiTests;

namespace BalticAI.Sovereignty.Api.Tests.Policies;

/// <summary>
/// OPA's answers to the conflicting bundle (the same as the embedded engine's), and the errors only OPA raises: a
/// reference its type checker rejects is 422 as a conflict is, while a 500 that is no evaluation error stays 503.
/// </summary>
public sealed class OpaDryRunEvaluationErrorTests(OpaBrokerFactory broker) : EvaluationErrorTests<OpaBrokerFactory>(broker), IClassFixture<OpaBrokerFactory>
{
    private FakeOpaServer Opa => Broker.Opa;

    private HttpClient PolicyAdmin => Broker.ClientFor(TestTenants.EuAiOffice, Roles.PolicyAdmin);

    [Fact]
    public async Task A_reference_OPAs_type_checker_rejects_is_422_with_its_error()
    {
        const string message = "undefined ref: data.balticai.allowedCountries.pl";
        var response = await WhileOpaAnswersAsync(FakeOpaApi.QueryNotCompiled([new RegoError(RegoErrorKind.TypeError, message)]),
            () => PolicyAdmin.PostJsonAsync("/policies/evaluate", DryRun(commercial: true, "data.balticai.allowedCountries.pl")));

        var problem = await ShouldBeProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        problem["errors"]!["evaluation"]!.AsArray().Select(e => e!.GetValue<string>()).ShouldBe([$"rego_type_error: {message}"]);
        problem["digest"]!.GetValue<string>().ShouldBe(Digest);
    }

    [Theory]
    [InlineData("eval_cancel_error")]
    [InlineData("no evaluation error")]
    public async Task An_OPA_500_that_is_no_error_of_the_policy_is_503(string kind)
    {
        var answer = kind == "eval_cancel_error"
            ? FakeOpaApi.EvaluationError([new RegoError(RegoErrorKind.EvalCancelError, "caller cancelled query execution")])
            : FakeOpaApi.InternalError("storage_internal_error: the store failed");

        var response = await WhileOpaAnswersAsync(answer, () => PolicyAdmin.PostJsonAsync("/policies/evaluate", DryRun(commercial: true)));

        await OpaEngineTests.ShouldBeUnavailableAsync(response);
    }

    /// <summary>An error the policy raised is OPA's answer: retrying it would only repeat it (and count toward opening the circuit).</summary>
    [Fact]
    public async Task OPA_is_asked_once_for_an_error_the_policy_raised_and_again_for_a_500_that_is_none()
    {
        var failed = FailedEvaluations();
        await PolicyAdmin.PostJsonAsync("/policies/evaluate", DryRun(commercial: false));
        var afterConflict = FailedEvaluations();

        await WhileOpaAnswersAsync(FakeOpaApi.InternalError("storage_internal_error: the store failed"),
            () => PolicyAdmin.PostJsonAsync("/policies/evaluate", DryRun(commercial: true)));

        (afterConflict - failed).ShouldBe(1);
        (FailedEvaluations() - afterConflict).ShouldBeGreaterThan(1);
    }

    /// <summary>
    /// Replays evaluate with the engine of the moment; OPA raising an error where the decision was taken is 422 with
    /// that error, as for a dry run: no outcome to compare, and none on any retry.
    /// </summary>
    [Fact]
    public async Task A_replay_whose_evaluation_raises_an_error_is_422_with_the_error_and_the_recorded_bundle()
    {
        var site = await RegisterSiteAsync(Broker, $"pl-re-{Guid.NewGuid():N}"[..20], "PL");
        var job = await RegisterJobAsync(Broker, site, commercial: true);
        var dataset = await RegisterDatasetAsync(Broker, researchOnly: false);
        var asked = await Broker.ClientFor(TestTenants.PlCyfronet, Roles.TrainingSystem).PostJsonAsync($"/training-jobs/{job}/access-requests", Ask((dataset, 1)));
        var decisionId = (await DatasetApi.ReadJsonAsync(asked))["decisions"]![0]!["decisionId"]!.GetValue<string>();
        var conflict = new RegoError(RegoErrorKind.EvalConflictError, "complete rules must not produce multiple outputs", "access/access.rego", TierLine, 1);

        var response = await WhileOpaAnswersAsync(FakeOpaApi.EvaluationError([conflict]),
            () => Broker.ClientFor(TestTenants.EuAiOffice, Roles.Auditor).PostAsync($"/decisions/{decisionId}/replay", null));

        var problem = await ShouldBeProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        problem["errors"]!["evaluation"]!.AsArray().Select(e => e!.GetValue<string>())
            .ShouldBe([$"access/access.rego:{TierLine}: eval_conflict_error: complete rules must not produce multiple outputs"]);
        problem["revision"]!.GetValue<string>().ShouldBe(Revision);
        problem["digest"]!.GetValue<string>().ShouldBe(Digest);
        problem["detail"]!.GetValue<string>().ShouldContain(decisionId);
    }

    private int FailedEvaluations() => Opa.Exchanges.Count(e => e is { Method: "POST", Status: 500 });

    private async Task<HttpResponseMessage> WhileOpaAnswersAsync(OpaAnswer answer, Func<Task<HttpResponseMessage>> request)
    {
        Opa.EvaluationAnswer = answer;
        try
        {
            return await request();
        }
        finally
        {
            Opa.EvaluationAnswer = null;
        }
    }
}
