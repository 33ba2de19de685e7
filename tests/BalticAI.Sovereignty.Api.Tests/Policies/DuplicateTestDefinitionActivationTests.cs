using BalticAI.Sovereignty.Api.Tests.Fixtures;
using static BalticAI.Sovereignty.Api.Tests.Decisions.DecisionWorld;

namespace BalticAI.Sovereignty.Api.Tests.Policies;

/// <summary>
/// Activation runs each definition of a `test_` rule alone, as `opa test` does: a false definition is a failing test
/// even when another definition of the same rule is true, so a bundle `opa test` fails is not activated here.
/// </summary>
public sealed class DuplicateTestDefinitionActivationTests(BrokerFactory broker) : IClassFixture<BrokerFactory>, IAsyncLifetime
{
    private const string TrueThenFalse = """
        package balticai.duplicate_test

        test_probe if true

        test_probe if false
        """;

    public Task InitializeAsync() => WaitForShippedBundleAsync(broker);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_bundle_whose_second_definition_of_a_test_is_false_is_422_naming_it_as_opa_does_and_records_nothing()
    {
        var refusal = await BundleTestRefusal.RefusedAsync(broker, "duplicate-test", "duplicate/duplicate_test.rego", TrueThenFalse);

        refusal.ShouldBe(["duplicate/duplicate_test.rego: data.balticai.duplicate_test.test_probe#01: FAIL (undefined)"]);
    }
}
