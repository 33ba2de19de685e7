namespace BalticAI.Sovereignty.Rego.Tests.Builtins;

/// <summary>
/// yaml.unmarshal and yaml.is_valid read YAML as OPA's do (topdown/encoding.go: sigs.k8s.io/yaml's YAMLToJSON, go-yaml
/// v2, so YAML 1.1 typing of plain scalars), not as YAML 1.2's core schema would; yaml.marshal quotes what they would
/// read back as something other than the string written.
/// </summary>
public sealed class YamlBuiltinTests
{
    private static string Unmarshal(string yaml) => Eval.Expr($"yaml.unmarshal({Quote(yaml)})");

    /// <summary>A Rego string literal, which is also how a string result reads as JSON.</summary>
    private static string Quote(string s) =>
        System.Text.Json.JsonSerializer.Serialize(s, new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    [Theory]
    [InlineData("yes", "true")]
    [InlineData("Yes", "true")]
    [InlineData("ON", "true")]
    [InlineData("y", "true")]
    [InlineData("no", "false")]
    [InlineData("Off", "false")]
    [InlineData("N", "false")]
    [InlineData("yEs", "\"yEs\"")]
    [InlineData("~", "null")]
    [InlineData("", "null")]
    [InlineData("0x1F", "31")]
    [InlineData("017", "15")]
    [InlineData("0o17", "15")]
    [InlineData("0b101", "5")]
    [InlineData("1_000", "1000")]
    [InlineData("-42", "-42")]
    [InlineData("2.50", "2.5")]
    [InlineData("1e3", "1000")]
    [InlineData("2024-01-31", "\"2024-01-31\"")]
    [InlineData("\"yes\"", "\"yes\"")]
    [InlineData("'017'", "\"017\"")]
    [InlineData("!!str on", "\"on\"")]
    [InlineData("eu-west", "\"eu-west\"")]
    public void A_plain_scalar_is_typed_as_go_yaml_v2_types_it_and_a_quoted_one_stays_a_string(string yaml, string json) =>
        Unmarshal($"v: {yaml}").ShouldBe($"{{\"v\":{json}}}");

    [Fact]
    public void Keys_become_strings_typed_first_as_go_yaml_types_them() =>
        Unmarshal("yes: 1\n017: 2\nname: 3").ShouldBe("{\"15\":2,\"name\":3,\"true\":1}");

    [Fact]
    public void Only_the_first_document_is_read_and_what_follows_is_never_parsed() =>
        Unmarshal("a: 1\n---\nb: [unclosed\n").ShouldBe("{\"a\":1}");

    [Fact]
    public void An_empty_input_is_null() => Unmarshal("").ShouldBe("null");

    [Theory]
    [InlineData("a: [1, 2\n", false)]
    [InlineData("v: .inf\n", false)]
    [InlineData("a: 1\n---\nb: [unclosed\n", true)]
    [InlineData("v: yes\n", true)]
    public void Is_valid_is_whether_unmarshal_would_convert_it(string yaml, bool valid) =>
        Eval.Expr($"yaml.is_valid({Quote(yaml)})").ShouldBe(valid ? "true" : "false");

    [Fact]
    public void A_malformed_document_is_a_builtin_error_phrased_as_opa_phrases_it_when_strict()
    {
        var policy = RegoCompiler.Compile([new RegoModule("t.rego", "package t\n\nx := yaml.unmarshal(\"a: [1, 2\\n\")")],
            options: new RegoOptions { StrictBuiltinErrors = true });

        var error = Should.Throw<RegoException>(() => policy.Evaluate("data.t.x")).First;

        error.Code.ShouldBe("eval_builtin_error");
        error.Message.ShouldStartWith("yaml.unmarshal: error converting YAML to JSON: yaml: line ");
    }

    [Theory]
    [InlineData("a: 1\na: 2", "{\"a\":2}")]
    [InlineData("yes: 1\ntrue: 2", "{\"true\":2}")]
    [InlineData("017: a\n15: b", "{\"15\":\"b\"}")]
    public void A_repeated_key_is_no_error_and_its_last_value_wins_as_in_go_yaml_v2_without_strict_mode(string yaml, string json)
    {
        Unmarshal(yaml).ShouldBe(json);
        Eval.Expr($"yaml.is_valid({Quote(yaml)})").ShouldBe("true");
    }

    [Theory]
    [InlineData("base: &b {a: 1, b: 2}\nx:\n  <<: *b\n  b: 3", "{\"a\":1,\"b\":3}")]
    [InlineData("x:\n  b: 3\n  <<: {a: 1, b: 2}", "{\"a\":1,\"b\":2}")]
    [InlineData("x:\n  <<: [{a: 1}, {a: 2, c: 3}]", "{\"a\":1,\"c\":3}")]
    [InlineData("one: &o {a: 1}\ntwo: &t {a: 2, c: 3}\nx:\n  <<: [*o, *t]\n  d: 4", "{\"a\":1,\"c\":3,\"d\":4}")]
    public void A_merge_key_sets_its_keys_where_it_stands_the_first_map_of_a_list_winning(string yaml, string x) =>
        Eval.Expr($"yaml.unmarshal({Quote(yaml)}).x").ShouldBe(x);

    [Theory]
    [InlineData("x:\n  <<: 1")]
    [InlineData("x:\n  <<: [{a: 1}, 2]")]
    [InlineData("s: &s [1]\nx:\n  <<: *s")]
    public void A_merge_key_whose_value_is_no_map_is_go_yamls_error(string yaml)
    {
        Eval.Expr($"yaml.is_valid({Quote(yaml)})").ShouldBe("false");
        var policy = RegoCompiler.Compile([new RegoModule("t.rego", $"package t\n\nx := yaml.unmarshal({Quote(yaml)})")],
            options: new RegoOptions { StrictBuiltinErrors = true });
        Should.Throw<RegoException>(() => policy.Evaluate("data.t.x")).First.Message
            .ShouldBe("yaml.unmarshal: error converting YAML to JSON: yaml: map merge requires map or sequence of maps as the value");
    }

    [Theory]
    [InlineData("123456789012345678901234", "1.2345678901234569e+23")]
    [InlineData("+18446744073709551615", "1.8446744073709552e+19")]
    [InlineData("0777777777777777777777777", "7.777777777777778e+23")]
    [InlineData("0x1FFFFFFFFFFFFFFFFF", "\"0x1FFFFFFFFFFFFFFFFF\"")]
    [InlineData("0b11111111111111111111111111111111111111111111111111111111111111111", "\"0b11111111111111111111111111111111111111111111111111111111111111111\"")]
    public void An_integer_past_64_bits_is_a_float_of_its_decimal_digits_or_a_string(string yaml, string rego) =>
        Eval.Expr($"yaml.unmarshal({Quote("v: " + yaml)}).v == {rego}").ShouldBe("true");

    [Fact]
    public void An_integer_past_64_bits_is_not_kept_exactly() =>
        Eval.Expr($"yaml.unmarshal({Quote("v: 123456789012345678901234")}).v == 123456789012345678901234").ShouldBe("false");

    [Fact]
    public void Float_keys_are_written_as_float32_g_and_int_keys_in_decimal_as_sigs_k8s_yaml_writes_them() =>
        Unmarshal("1e6: a\n2.50: b\n0x10: c\n3.14159265358979: d\n.inf: e").ShouldBe("{\".inf\":\"e\",\"16\":\"c\",\"1e+06\":\"a\",\"2.5\":\"b\",\"3.1415927\":\"d\"}");

    [Theory]
    [InlineData("18446744073709551615: 1\n")]
    [InlineData("a: &x [*x]\n")]
    [InlineData("v: !!int abc\n")]
    [InlineData("v: !!float 18446744073709551615\n")]
    [InlineData("v: !!binary not*base64\n")]
    public void Uint64_keys_self_containing_anchors_and_mistyped_tags_are_not_valid(string yaml) =>
        Eval.Expr($"yaml.is_valid({Quote(yaml)})").ShouldBe("false");

    [Theory]
    [InlineData("!!int \"12\"", "12")]
    [InlineData("!!binary aGVsbG8=", "\"hello\"")]
    [InlineData("!custom 12", "\"12\"")]
    public void A_tag_types_the_scalar_as_go_yaml_resolves_it(string yaml, string json) =>
        Unmarshal($"v: {yaml}").ShouldBe($"{{\"v\":{json}}}");

    [Fact]
    public void A_document_that_expands_aliases_past_go_yamls_ratio_is_not_valid()
    {
        var yaml = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + string.Concat("abcd".Zip("bcde", (from, to) =>
            $"{to}: &{to} [{string.Join(", ", Enumerable.Repeat("*" + from, 10))}]\n"));

        Eval.Expr($"yaml.is_valid({Quote(yaml)})").ShouldBe("false");
    }

    [Theory]
    [InlineData(10_000, true)]
    [InlineData(10_002, false)]
    [InlineData(100_000, false)]
    public void Nesting_deeper_than_go_yamls_limit_is_not_valid_and_never_ends_the_process(int depth, bool valid) =>
        Eval.Expr($"yaml.is_valid({Quote(new string('[', depth) + new string(']', depth))})").ShouldBe(valid ? "true" : "false");

    [Fact]
    public void Aliases_stacked_deeper_than_the_stack_allows_are_an_error_not_the_end_of_the_process()
    {
        const int Levels = 2_000;
        var yaml = $"a0: &a0 {new string('[', Levels)}x{new string(']', Levels)}\n" + string.Concat(Enumerable.Range(1, 30).Select(i =>
            $"a{i}: &a{i} {new string('[', Levels)}*a{i - 1}{new string(']', Levels)}\n"));

        Eval.Expr($"yaml.is_valid({Quote(yaml)})").ShouldBe("false");
    }

    [Theory]
    [InlineData("yes", "v: \"yes\"\n")]
    [InlineData("Off", "v: \"Off\"\n")]
    [InlineData("yEs", "v: yEs\n")]
    [InlineData("plain", "v: plain\n")]
    public void Marshal_quotes_a_string_only_when_go_yaml_would_read_it_back_as_something_else(string s, string yaml) =>
        Eval.Expr($"yaml.marshal({{\"v\": {Quote(s)}}})").ShouldBe(Quote(yaml));

    [Theory]
    [InlineData("yes")]
    [InlineData("017")]
    [InlineData("~")]
    public void A_marshalled_string_unmarshals_back_to_itself(string s) =>
        Eval.Expr($"yaml.unmarshal(yaml.marshal({Quote(s)}))").ShouldBe(Quote(s));
}
