namespace BalticAI.Sovereignty.Rego.Compilation.Typing;

/// <summary>Kinds of value an operand may be.</summary>
[Flags]
internal enum Kinds
{
    Null = 1,
    Boolean = 2,
    Number = 4,
    String = 8,
    Array = 16,
    Set = 32,
    Object = 64,
    Any = Null | Boolean | Number | String | Array | Set | Object,
}

/// <summary>
/// The operands of the builtins policies call most, as OPA declares them. A call whose operand can be no value of
/// its kind raises eval_type_error on every evaluation, which a decision reads as undefined: a deny rule resting on
/// `startswith(input.dataset.content.sizeBytes, "x")` would never deny. Builtins not listed are not checked.
/// </summary>
internal static class BuiltinOperands
{
    private const Kinds S = Kinds.String;
    private const Kinds N = Kinds.Number;
    private const Kinds A = Kinds.Array;
    private const Kinds O = Kinds.Object;
    private const Kinds ArrayOrSet = Kinds.Array | Kinds.Set;
    private const Kinds Collection = Kinds.Array | Kinds.Set | Kinds.Object;

    private static readonly Dictionary<string, Kinds[]> Operands = new(StringComparer.Ordinal)
    {
        ["concat"] = [S, ArrayOrSet],
        ["contains"] = [S, S],
        ["endswith"] = [S, S],
        ["startswith"] = [S, S],
        ["format_int"] = [N, N],
        ["indexof"] = [S, S],
        ["indexof_n"] = [S, S],
        ["lower"] = [S],
        ["upper"] = [S],
        ["replace"] = [S, S, S],
        ["split"] = [S, S],
        ["sprintf"] = [S, A],
        ["strings.count"] = [S, S],
        ["strings.replace_n"] = [O, S],
        ["strings.reverse"] = [S],
        ["substring"] = [S, N, N],
        ["trim"] = [S, S],
        ["trim_left"] = [S, S],
        ["trim_prefix"] = [S, S],
        ["trim_right"] = [S, S],
        ["trim_suffix"] = [S, S],
        ["trim_space"] = [S],
        ["regex.match"] = [S, S],
        ["regex.split"] = [S, S],
        ["regex.find_n"] = [S, S, N],
        ["regex.replace"] = [S, S, S],
        ["abs"] = [N],
        ["ceil"] = [N],
        ["floor"] = [N],
        ["round"] = [N],
        ["plus"] = [N, N],
        ["mul"] = [N, N],
        ["div"] = [N, N],
        ["rem"] = [N, N],
        ["numbers.range"] = [N, N],
        ["count"] = [S | Collection],
        ["sum"] = [ArrayOrSet],
        ["product"] = [ArrayOrSet],
        ["max"] = [ArrayOrSet],
        ["min"] = [ArrayOrSet],
        ["sort"] = [ArrayOrSet],
        ["array.concat"] = [A, A],
        ["array.slice"] = [A, N, N],
        ["array.reverse"] = [A],
        ["intersection"] = [Kinds.Set],
        ["union"] = [Kinds.Set],
        ["object.keys"] = [O],
        ["object.remove"] = [O, Collection],
        ["object.filter"] = [O, Collection],
        ["object.union"] = [O, O],
        ["object.union_n"] = [A],
        ["json.filter"] = [O, ArrayOrSet],
        ["json.remove"] = [O, ArrayOrSet],
        ["time.parse_rfc3339_ns"] = [S],
        ["time.parse_ns"] = [S, S],
        ["time.parse_duration_ns"] = [S],
        ["time.date"] = [N | A],
        ["time.clock"] = [N | A],
        ["time.weekday"] = [N | A],
        ["time.add_date"] = [N, N, N, N],
        ["time.diff"] = [N | A, N | A],
        ["base64.encode"] = [S],
        ["base64.decode"] = [S],
        ["json.unmarshal"] = [S],
        ["yaml.unmarshal"] = [S],
        ["crypto.sha256"] = [S],
        ["net.cidr_contains"] = [S, S],
        ["semver.compare"] = [S, S],
        ["units.parse"] = [S],
        ["units.parse_bytes"] = [S],
    };

    /// <summary>The kinds each declared operand takes, or null for a builtin not listed.</summary>
    public static Kinds[]? Of(string builtin) => Operands.GetValueOrDefault(builtin);

    /// <summary>Whether some value of the type is of one of the kinds.</summary>
    public static bool Admits(Kinds kinds, RegoType type) => (KindsOf(type) & kinds) != 0;

    /// <summary>Every kind some value of the type is.</summary>
    public static Kinds KindsOf(RegoType type) => type switch
    {
        AnyType => Kinds.Any,
        UnionType u => u.Members.Aggregate((Kinds)0, (all, m) => all | KindsOf(m)),
        EnumType e => e.Values.Aggregate((Kinds)0, (all, v) => all | KindsOf(RegoType.Of(v))),
        ScalarType { Name: "null" } => Kinds.Null,
        ScalarType { Name: "boolean" } => Kinds.Boolean,
        ScalarType { Name: "number" } => Kinds.Number,
        ScalarType { Name: "string" } => Kinds.String,
        ArrayType => Kinds.Array,
        SetType => Kinds.Set,
        ObjectType => Kinds.Object,
        _ => Kinds.Any,
    };

    /// <summary>OPA's words for a kind: "string", "array or set", ...</summary>
    public static string Describe(Kinds kinds) =>
        string.Join(" or ", Enum.GetValues<Kinds>().Where(k => k != Kinds.Any && kinds.HasFlag(k)).Select(k => k.ToString().ToLowerInvariant()));
}
