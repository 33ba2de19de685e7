using System.Text.Json.Nodes;

namespace BalticAI.Sovereignty.Rego.Tests;

public sealed class EngineTests
{
    private const string Policy = """
        package balticai

        default allow := false

        allow if {
            input.user.role == "admin"
        }

        allow if {
            some g in input.user.groups
            g == "ops"
            input.action == "read"
        }

        reasons contains msg if {
            not allow
            msg := sprintf("user %s may not %s", [input.user.name, input.action])
        }

        decision := {"allow": allow, "reasons": reasons}
        """;

    private static RegoPolicy Compile(string source, JsonNode? data = null, RegoOptions? options = null) =>
        RegoCompiler.Compile([new RegoModule("policy.rego", source)], data, options);

    [Fact]
    public void Evaluates_a_decision_object()
    {
        var policy = Compile(Policy);
        var input = JsonNode.Parse("""{"user": {"name": "eve", "role": "dev", "groups": ["dev"]}, "action": "write"}""");
        var result = policy.Evaluate("data.balticai.decision", input);
        result.IsDefined.ShouldBeTrue();
        result.ToJson().ShouldBe("""{"allow":false,"reasons":["user eve may not write"]}""");
    }

    [Fact]
    public void Input_built_in_code_converts_like_parsed_input()
    {
        var policy = Compile("package p\n\nx := input");
        var built = new JsonObject { ["s"] = "a", ["b"] = true, ["i"] = 3, ["d"] = 1.5m, ["f"] = 0.25, ["n"] = null, ["l"] = new JsonArray(1, "x") };
        var parsed = JsonNode.Parse(built.ToJsonString());
        var expected = """{"b":true,"d":1.5,"f":0.25,"i":3,"l":[1,"x"],"n":null,"s":"a"}""";
        policy.Evaluate("data.p.x", built).ToJson().ShouldBe(expected);
        policy.Evaluate("data.p.x", parsed).ToJson().ShouldBe(expected);
    }

    [Fact]
    public void Time_layouts_give_the_same_result_on_every_call()
    {
        var policy = Compile("""
            package t

            t := [
                time.parse_ns("2006-01-02", "2024-03-05"),
                time.parse_ns("02/01/2006", "05/03/2024"),
                time.parse_rfc3339_ns("2024-03-05T00:00:00Z"),
                time.format([time.parse_ns("2006-01-02", "2024-03-05"), "UTC", "RFC3339"]),
                time.format([time.parse_ns("2006-01-02", "2024-03-05"), "UTC", "02/01/2006"]),
            ]
            """);
        for (var i = 0; i < 2; i++)
        {
            policy.Evaluate("data.t.t").ToJson().ShouldBe("""[1709596800000000000,1709596800000000000,1709596800000000000,"2024-03-05T00:00:00Z","05/03/2024"]""");
        }
    }

    [Fact]
    public void Undefined_reference_is_not_defined()
    {
        Compile(Policy).Evaluate("data.balticai.nothing").IsDefined.ShouldBeFalse();
    }

    [Fact]
    public void Default_applies_without_input()
    {
        var r = Compile(Policy).Evaluate("data.balticai.allow");
        r.IsDefined.ShouldBeTrue();
        r.IsTrue.ShouldBeFalse();
    }

    [Fact]
    public void Parse_errors_carry_position_and_kind()
    {
        var ex = Should.Throw<RegoException>(() => Compile("package p\n\nallow if {\n  x := \n}"));
        ex.First.Code.ShouldBe("rego_parse_error");
        ex.First.File.ShouldBe("policy.rego");
        ex.First.Line.ShouldBe(5);
    }

    [Fact]
    public void Unsafe_variables_are_compile_errors()
    {
        var ex = Should.Throw<RegoException>(() => Compile("package p\n\nallow if {\n  x > 1\n}"));
        ex.First.Code.ShouldBe("rego_unsafe_var_error");
        ex.First.Line.ShouldBe(4);
    }

    [Fact]
    public void Conflicting_complete_rule_is_an_eval_conflict_error()
    {
        var policy = Compile("package p\n\nx := 1 if input.a\nx := 2 if input.a");
        var ex = Should.Throw<RegoException>(() => policy.Evaluate("data.p.x", JsonNode.Parse("""{"a": true}""")));
        ex.First.Code.ShouldBe("eval_conflict_error");
    }

    [Fact]
    public void Step_limit_stops_runaway_evaluation()
    {
        var policy = Compile("package p\n\nn := count([x | some a in numbers.range(1, 300); some b in numbers.range(1, 300); some c in numbers.range(1, 300); x := a + b + c])",
            options: new RegoOptions { MaxSteps = 100_000 });
        var ex = Should.Throw<RegoException>(() => policy.Evaluate("data.p.n"));
        ex.First.Kind.ShouldBe(RegoErrorKind.EvalLimitError);
    }

    [Fact]
    public void Cancellation_stops_evaluation()
    {
        var policy = Compile("package p\n\nn := count([x | some a in numbers.range(1, 1000); some b in numbers.range(1, 1000); x := a + b])",
            options: new RegoOptions { MaxSteps = long.MaxValue, Timeout = null });
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Should.Throw<RegoException>(() => policy.Evaluate("data.p.n", (JsonNode?)null, cts.Token)).First.Kind.ShouldBe(RegoErrorKind.EvalCancelError);
    }

    [Fact]
    public void Http_send_refuses_network_but_can_be_replaced_with_with()
    {
        var policy = Compile("""
            package p

            resp := http.send({"method": "GET", "url": "https://example.com"})

            mocked := r.status_code if {
                r := http.send({"method": "GET", "url": "https://example.com"}) with http.send as {"status_code": 200}
            }
            """, options: new RegoOptions { StrictBuiltinErrors = true });
        Should.Throw<RegoException>(() => policy.Evaluate("data.p.resp")).First.Code.ShouldBe("eval_builtin_error");
        policy.Evaluate("data.p.mocked").ToJson().ShouldBe("200");
    }

    [Fact]
    public void Evaluates_concurrently_from_many_threads()
    {
        var policy = Compile(Policy);
        var admin = RegoInput.Parse("""{"user": {"name": "a", "role": "admin", "groups": []}, "action": "write"}""");
        var ops = RegoInput.Parse("""{"user": {"name": "b", "role": "dev", "groups": ["ops"]}, "action": "read"}""");
        var nobody = RegoInput.Parse("""{"user": {"name": "c", "role": "dev", "groups": []}, "action": "read"}""");
        Parallel.For(0, 2000, i =>
        {
            var (input, want) = (i % 3) switch { 0 => (admin, true), 1 => (ops, true), _ => (nobody, false) };
            policy.Evaluate("data.balticai.allow", input).IsTrue.ShouldBe(want);
        });
    }

    [Fact]
    public void Big_integers_and_decimals_are_exact()
    {
        var policy = Compile("package p\n\nbig := 123456789012345678901234567890 * 10\ndec := 0.1 + 0.2");
        policy.Evaluate("data.p.big").ToJson().ShouldBe("1234567890123456789012345678900");
        policy.Evaluate("data.p.dec").ToJson().ShouldBe("0.3");
    }

    [Fact]
    public void Runs_test_rules()
    {
        var policy = RegoCompiler.Compile([
            new RegoModule("p.rego", "package p\n\nallow if input.ok"),
            new RegoModule("p_test.rego", "package p_test\n\ntest_ok if data.p.allow with input as {\"ok\": true}\ntest_bad if data.p.allow"),
        ]);
        var results = policy.RunTests();
        results.Count.ShouldBe(2);
        results.Single(r => r.Name == "data.p_test.test_ok").Passed.ShouldBeTrue();
        results.Single(r => r.Name == "data.p_test.test_bad").Passed.ShouldBeFalse();
    }

    [Fact]
    public void Runs_test_rules_of_every_module_whatever_its_file_is_called()
    {
        var policy = RegoCompiler.Compile([new RegoModule("p.rego", "package p\n\nallow := true\n\ntest_inline if allow")]);

        policy.RunTests().ShouldHaveSingleItem().Name.ShouldBe("data.p.test_inline");
    }

    [Fact]
    public void Test_rules_of_the_same_name_in_different_packages_are_different_tests()
    {
        var policy = RegoCompiler.Compile([
            new RegoModule("a_test.rego", "package a_test\n\ntest_a if true"),
            new RegoModule("b_test.rego", "package b_test\n\ntest_a if false"),
        ]);

        policy.RunTests().Select(r => (r.Name, r.Passed)).ShouldBe([("data.a_test.test_a", true), ("data.b_test.test_a", false)], ignoreOrder: true);
    }

    [Fact]
    public void A_cancelled_test_run_stops_instead_of_failing_its_tests()
    {
        var policy = RegoCompiler.Compile([new RegoModule("p_test.rego", "package p_test\n\ntest_ok if true\n\ntest_steps if count([x | some x in numbers.range(1, 5000); x > 0]) == 5000")]);

        Should.Throw<OperationCanceledException>(() => policy.RunTests(new CancellationToken(canceled: true)));
    }

    [Fact]
    public void Packages_names_each_modules_file_and_package_path_below_data()
    {
        var policy = RegoCompiler.Compile([
            new RegoModule("a/a.rego", "package balticai.access\n\nallow := true"),
            new RegoModule("b/b.rego", "package system[\"authz\"]\n\nallow := true"),
        ]);

        policy.Packages().Select(p => $"{p.File} {string.Join('/', p.Package)}").ShouldBe(["a/a.rego balticai/access", "b/b.rego system/authz"]);
    }

    [Theory]
    [InlineData("not ")]
    [InlineData("- ")]
    [InlineData("(")]
    public void Deeply_nested_prefixes_are_parse_errors(string prefix)
    {
        var deep = "package p\n\nx if " + string.Concat(Enumerable.Repeat(prefix, 50_000)) + "1";
        Should.Throw<RegoException>(() => Compile(deep)).First.Code.ShouldBe("rego_parse_error");
    }

    [Fact]
    public void Huge_generated_collections_are_refused()
    {
        var policy = Compile("package p\n\nx := count(numbers.range(1, 1000000000000))", options: new RegoOptions { StrictBuiltinErrors = true });
        Should.Throw<RegoException>(() => policy.Evaluate("data.p.x")).First.Code.ShouldBe("eval_builtin_error");
    }

    [Fact]
    public void Deeply_nested_source_is_a_parse_error_not_a_crash()
    {
        var deep = "package p\n\nx := " + new string('[', 100_000) + new string(']', 100_000);
        Should.Throw<RegoException>(() => Compile(deep)).First.Code.ShouldBe("rego_parse_error");
    }
}
