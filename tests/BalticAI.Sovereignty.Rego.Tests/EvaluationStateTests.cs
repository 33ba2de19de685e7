using System.Text.Json.Nodes;

namespace BalticAI.Sovereignty.Rego.Tests;

/// <summary>
/// State the evaluator shares or reuses within one evaluation: frames of finished rules and calls, and argument
/// arrays of finished calls, go back to a pool; partial sets are created on their first element; function calls
/// collect their value through the same fields as complete rules. Nested rules and calls evaluated while an
/// outer body is still enumerating, with frames of equal size, must not see each other.
/// </summary>
public sealed class EvaluationStateTests
{
    private const string Policy = """
        package t

        double(x) := y if {
            y := x * 2
        }

        pairs(xs) := {[a, double(a)] | some a in xs}

        sum_pairs(xs) := s if {
            s := sum([b | some p in pairs(xs); b := p[1]])
        }

        total := t if {
            t := sum([sum_pairs(row) | some row in input.rows])
        }

        labels contains l if {
            some row in input.rows
            some a in row
            l := sprintf("%v:%v", [a, double(a)])
        }

        classify(x) := "big" if {
            x > 10
        } else := "small" if {
            x > 0
        } else := "none"

        kinds := [classify(x) | some x in [20, 5, -1]]

        limit := double(5)

        over(x) if x > limit

        flagged := [x | some x in input.values; over(x)]

        nested := sprintf("%v/%v/%v", [double(double(1)), concat(",", [lower("A"), upper(trim(" b ", " "))]), object.get({"k": double(4)}, "k", 0)])

        empty contains x if {
            some x in input.values
            x > 100
        }

        inner contains y if {
            some y in input.values
            y > 10
        }

        small contains y if {
            some y in input.values
            y < 10
        }

        outer contains n if {
            some x in input.values
            n := x + count(inner)
        }

        outer contains m if m := 100 * count(small)

        sets := {"empty": empty, "outer": outer}

        decision := {"total": total, "labels": labels, "kinds": kinds, "flagged": flagged}

        conflicting(x) := 1 if x > 0

        conflicting(x) := 2 if x > 1

        function_conflict := conflicting(5)

        rule_conflict := 1 if input.rows

        rule_conflict := 2 if input.values
        """;

    private static readonly JsonNode Input = JsonNode.Parse("""{"rows": [[1, 2], [3]], "values": [5, 11, 20]}""")!;

    [Fact]
    public void Nested_rules_and_calls_with_equal_frames_keep_their_own_bindings()
    {
        var policy = RegoCompiler.Compile([new RegoModule("t.rego", Policy)]);
        for (var i = 0; i < 2; i++)
        {
            policy.Evaluate("data.t.decision", Input).ToJson().ShouldBe(
                """{"flagged":[11,20],"kinds":["big","small","none"],"labels":["1:2","2:4","3:6"],"total":12}""");
        }
    }

    [Fact]
    public void Nested_direct_calls_keep_their_own_arguments()
    {
        var policy = RegoCompiler.Compile([new RegoModule("t.rego", Policy)]);
        policy.Evaluate("data.t.nested", Input).ToJson().ShouldBe("\"4/a,B/8\"");
    }

    [Fact]
    public void Partial_sets_evaluated_inside_another_collect_into_their_own_set()
    {
        var policy = RegoCompiler.Compile([new RegoModule("t.rego", Policy)]);
        policy.Evaluate("data.t.sets", Input).ToJson().ShouldBe("""{"empty":[],"outer":[7,13,22,100]}""");
    }

    [Fact]
    public void Function_and_rule_conflicts_keep_their_own_messages()
    {
        var policy = RegoCompiler.Compile([new RegoModule("t.rego", Policy)]);
        var function = Should.Throw<RegoException>(() => policy.Evaluate("data.t.function_conflict", Input)).First;
        function.Code.ShouldBe("eval_conflict_error");
        function.Message.ShouldContain("functions must not produce multiple outputs for same inputs");
        var rule = Should.Throw<RegoException>(() => policy.Evaluate("data.t.rule_conflict", Input)).First;
        rule.Code.ShouldBe("eval_conflict_error");
        rule.Message.ShouldContain("complete rules must not produce multiple outputs");
    }
}
