using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;

namespace BalticAI.Sovereignty.Api.Tests.Policies;

/// <summary>
/// A test whose evaluation raises an error refuses activation as a failing one does, named ERROR with its error as
/// `opa test` names it, and the refusal's detail says whether the tests failed, raised errors or both, so the refusal
/// tells a broken policy from a false assertion.
/// </summary>
public sealed class ErroringTestActivationTests(BrokerFactory broker) : IClassFixture<BrokerFactory>, IAsyncLifetime
{
    private const string Conflict = """
        package balticai.conflict_test

        x := v if some v in [1, 2]

        test_conflict if x == 1
        """;

    private const string ConflictAndFalse = """
        package balticai.conflict_false_test

        x := v if some v in [1, 2]

        test_conflict if x == 1

        test_false if 1 == 2
        """;

    public Task InitializeAsync() => WaitForShippedBundleAsync(broker);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_bundle_whose_test_raises_a_conflict_is_422_saying_its_tests_raise_errors_naming_the_test_as_an_error()
    {
        var error = (await BundleTestRefusal.RefusedAsync(broker, "conflict-test", "conflict/conflict_test.rego", Conflict,
            "the bundle's tests raise errors")).Single();

        error.ShouldStartWith("conflict/conflict_test.rego: data.balticai.conflict_test.test_conflict: ERROR (");
        error.ShouldContain("complete rules must not produce multiple outputs");
    }

    [Fact]
    public async Task A_bundle_with_a_failing_and_an_erroring_test_is_422_saying_its_tests_fail_and_raise_errors()
    {
        var errors = await BundleTestRefusal.RefusedAsync(broker, "conflict-false-test", "conflict/conflict_false_test.rego",
            ConflictAndFalse, "the bundle's tests fail and raise errors");

        errors.Count.ShouldBe(2);
        errors.ShouldContain(e => e.StartsWith("conflict/conflict_false_test.rego: data.balticai.conflict_false_test.test_conflict: ERROR (", StringComparison.Ordinal));
        errors.ShouldContain(e => e.StartsWith("conflict/conflict_false_test.rego: data.balticai.conflict_false_test.test_false: FAIL", StringComparison.Ordinal));
    }
}
