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
