using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;

namespace BalticAI.Sovereignty.Api.Tests.Policies;

/// <summary>
/// A test whose evaluation raises an error refuses activation as a failing one does, named ERROR with its error as
/// `opa test` names it, so the refusal tells a broken policy from a false assertion.
/// </summary>
public sealed class ErroringTestActivationTests(BrokerFactory broker) : IClassFixture<BrokerFactory>, IAsyncLifetime
{
    private const string Conflict = """
        package balticai.conflict_test

        x := v if some v in [1, 2]

        test_conflict if x == 1
        """;

    public Task InitializeAsync() => WaitForShippedBundleAsync(broker);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_bundle_whose_test_raises_a_conflict_is_422_naming_the_test_as_an_error_and_records_nothing()
    {
        var error = (await BundleTestRefusal.RefusedAsync(broker, "conflict-test", "conflict/conflict_test.rego", Conflict)).Single();

        error.ShouldStartWith("conflict/conflict_test.rego: data.balticai.conflict_test.test_conflict: ERROR (");
        error.ShouldContain("complete rules must not produce multiple outputs");
    }
}
