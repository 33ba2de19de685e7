namespace BalticAI.Sovereignty.Rego.Compilation.Typing;

/// <summary>
/// The results of the builtins whose result is of one kind whatever they are given, as OPA declares them: so that
/// `count(input.dataset.derivedFrom) == "0"` (a number never equals a string) or `lower(x).y` is refused like a read
/// of the input. A builtin not listed, or one whose result follows its operands (`max`, `minus`, `json.unmarshal`),
/// gives any value.
/// </summary>
internal static class BuiltinResults
{
    private static readonly RegoType Number = new ScalarType("number");
    private static readonly RegoType Text = new ScalarType("string");
    private static readonly RegoType Boolean = new ScalarType("boolean");
    private static readonly RegoType Numbers = new ArrayType(Number);
    private static readonly RegoType Texts = new ArrayType(Text);
    private static readonly RegoType AnArray = new ArrayType(RegoType.Any);
    private static readonly RegoType ASet = new SetType(RegoType.Any);
    private static readonly RegoType AnObject = new ObjectType(new Dictionary<string, RegoType>(StringComparer.Ordinal), RegoType.Any);

    private static readonly Dictionary<string, RegoType> Results = Table(
        (Number, ["count", "sum", "product", "abs", "ceil", "floor", "round", "plus", "mul", "div", "rem", "to_number", "indexof", "strings.count",
            "time.now_ns", "time.parse_rfc3339_ns", "time.parse_ns", "time.parse_duration_ns", "time.add_date", "units.parse", "units.parse_bytes",
            "semver.compare"]),
        (Text, ["sprintf", "concat", "lower", "upper", "replace", "strings.replace_n", "strings.reverse", "substring", "trim", "trim_left",
            "trim_prefix", "trim_right", "trim_suffix", "trim_space", "format_int", "json.marshal", "yaml.marshal", "base64.encode", "base64.decode",
            "base64url.encode", "base64url.decode", "urlquery.encode", "crypto.sha256", "crypto.sha1", "crypto.md5", "type_name", "regex.replace",
            "time.weekday"]),
        (Boolean, ["startswith", "endswith", "contains", "regex.match", "re_match", "is_string", "is_number", "is_boolean", "is_array", "is_set",
            "is_object", "is_null", "net.cidr_contains", "json.is_valid", "yaml.is_valid", "regex.is_valid", "semver.is_valid", "glob.match"]),
        (Texts, ["split", "regex.split", "regex.find_n"]),
        (Numbers, ["time.date", "time.clock", "time.diff", "numbers.range"]),
        (AnArray, ["sort", "array.concat", "array.slice", "array.reverse"]),
        (ASet, ["object.keys", "union", "intersection"]),
        (AnObject, ["object.union", "object.union_n", "object.remove", "object.filter", "json.filter", "json.remove"]));

    /// <summary>The type of what the builtin gives, or null when it is not listed.</summary>
    public static RegoType? Of(string builtin) => Results.GetValueOrDefault(builtin);

    private static Dictionary<string, RegoType> Table(params (RegoType Type, string[] Names)[] rows) =>
        rows.SelectMany(row => row.Names.Select(name => (name, row.Type))).ToDictionary(x => x.name, x => x.Type, StringComparer.Ordinal);
}
