using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Decisions;
using BalticAI.Sovereignty.Api.Decisions.RequestingAccess;

namespace BalticAI.Sovereignty.Api.Tests.Decisions;

/// <summary>Only `{allow: boolean, reasons: [objects with a rule], obligations: [objects with a type]}` can allow.</summary>
public sealed class PolicyVerdictTests
{
    [Theory]
    [InlineData("""{"allow": true, "reasons": ["licence"], "obligations": []}""")]
    [InlineData("""{"allow": true, "reasons": [{"message": "no rule"}], "obligations": []}""")]
    [InlineData("""{"allow": true, "reasons": [], "obligations": ["keep-on-site"]}""")]
    [InlineData("""{"allow": true, "reasons": [], "obligations": [{"dataset": "no type"}]}""")]
    [InlineData("""{"allow": true, "reasons": "none", "obligations": []}""")]
    [InlineData("""{"allow": true, "reasons": []}""")]
    [InlineData("""{"allow": true, "obligations": []}""")]
    public void A_decision_of_another_shape_denies_and_says_so(string decision)
    {
        var verdict = PolicyVerdict.Interpret(JsonNode.Parse(decision));

        verdict.Allowed.ShouldBeFalse();
        verdict.Reasons.Select(r => r.Rule).ShouldBe(["malformed-decision"]);
        verdict.Obligations.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("""{"allow": "true", "reasons": [], "obligations": []}""")]
    [InlineData("""[true]""")]
    [InlineData(null)]
    public void A_decision_without_a_boolean_allow_is_no_decision(string? decision)
    {
        var verdict = PolicyVerdict.Interpret(decision is null ? null : JsonNode.Parse(decision));

        verdict.Allowed.ShouldBeFalse();
        verdict.Reasons.Select(r => r.Rule).ShouldBe(["no-decision"]);
    }

    [Fact]
    public void A_well_formed_allow_keeps_its_obligations_and_a_well_formed_deny_its_reasons()
    {
        var allowed = PolicyVerdict.Interpret(JsonNode.Parse("""{"allow": true, "reasons": [], "obligations": [{"type": "pseudonymise", "dataset": "d@1"}]}"""));
        var denied = PolicyVerdict.Interpret(JsonNode.Parse("""{"allow": false, "reasons": [{"rule": "tdm", "message": "m", "source": "s"}], "obligations": [{"type": "x"}]}"""));

        allowed.Allowed.ShouldBeTrue();
        allowed.Obligations.Single()["type"]!.GetValue<string>().ShouldBe("pseudonymise");
        denied.Allowed.ShouldBeFalse();
        denied.Reasons.ShouldBe([new DecisionReason("tdm", "m", "s")]);
        denied.Obligations.ShouldBeEmpty();
    }
}
