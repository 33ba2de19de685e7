using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;

namespace BalticAI.Sovereignty.Api.Tests.Policies;

/// <summary>With the default `Policy:Opa:*`, every retry of a call OPA fails at once runs within the total timeout.</summary>
public sealed class OpaRetryBudgetTests(OpaBrokerFactory broker) : IClassFixture<OpaBrokerFactory>, IAsyncLifetime
{
    private Guid _plSite;

    public async Task InitializeAsync()
    {
        await broker.WaitUntilActiveAsync();
        await ActivateAsync(broker, Bundle("opa-retry-budget"));
        _plSite = await RegisterSiteAsync(broker, $"pl-rb-{Guid.NewGuid():N}"[..20], "PL");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Three_500s_in_a_row_are_all_retried_and_the_decision_is_made()
    {
        var failedBefore = FailedEvaluations();

        var (answered, _) = await OpaRetryAfterTests.AskWhileAsync(broker, _plSite, () => broker.Opa.FailNext(3, "POST"));

        answered.IsSuccessStatusCode.ShouldBeTrue(await answered.Content.ReadAsStringAsync());
        FailedEvaluations().ShouldBe(failedBefore + 3);
    }

    private int FailedEvaluations() => broker.Opa.Exchanges.Count(e => e is { Method: "POST", Status: 500 });
}
