using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Rego.Values;

namespace BalticAI.Sovereignty.Rego;

/// <summary>Outcome of evaluating a reference: undefined, or a value.</summary>
public sealed class RegoResult
{
    internal static readonly RegoResult Undefined = new(null);
    private readonly Value? value;

    internal RegoResult(Value? value) => this.value = value;

    public bool IsDefined => value != null;

    /// <summary>The value as JSON (sets become arrays); null when undefined.</summary>
    public JsonNode? Value => value == null ? null : JsonInterop.ToNode(value);

    /// <summary>True only when the value is the boolean true; cheap, no JSON conversion.</summary>
    public bool IsTrue => value is BoolValue { Value: true };

    /// <summary>The value as compact JSON text, or null when undefined.</summary>
    public string? ToJson() => value == null ? null : ValueFormatter.ToJson(value);

    internal Value? Raw => value;
}

/// <summary>Result of one `test_` rule.</summary>
public sealed record RegoTestResult(string Name, string File, bool Passed, string? Error, TimeSpan Duration)
{
    /// <summary>A `todo_test_` rule: reported, never evaluated, neither passed nor failed.</summary>
    public bool Skipped { get; init; }

    /// <summary>
    /// A partial object test's cases (`test_x[name] if ...`), one per key, nested as its keys nest, sorted by name as
    /// `opa test` prints them; empty for any other test.
    /// </summary>
    public IReadOnlyList<RegoTestCase> Cases { get; init; } = [];

    /// <summary>
    /// Its evaluation raised an error (a conflict, a builtin error, a timeout), which <see cref="Error"/> gives: OPA's
    /// tester reports such a test as ERROR, apart from a FAIL, and counts it as one test whatever its cases.
    /// </summary>
    public bool Errored { get; init; }

    /// <summary>What refuses activation and fails `balticai policy test`: neither passed nor skipped, erroring included.</summary>
    public bool Failed => !Passed && !Skipped;

    /// <summary>As `opa test` names the outcome: PASS, FAIL, ERROR or SKIPPED.</summary>
    public string Outcome => Skipped ? "SKIPPED" : Errored ? "ERROR" : Passed ? "PASS" : "FAIL";
}

/// <summary>One case of a partial object test, under the key its rule gave it; a leaf when it has no cases of its own.</summary>
public sealed record RegoTestCase(string Name, bool Passed, IReadOnlyList<RegoTestCase> Cases)
{
    /// <summary>
    /// The cases as `opa test` prints them below their test (tester.PrettyReporter): one line each, indented two spaces
    /// per level, the failing ones only unless <paramref name="all"/>.
    /// </summary>
    public static IEnumerable<string> Lines(IReadOnlyList<RegoTestCase> cases, bool all, int depth = 1) =>
        cases.Where(c => all || !c.Passed)
            .SelectMany(c => Lines(c.Cases, all, depth + 1).Prepend($"{new string(' ', 2 * depth)}{c.Name}: {(c.Passed ? "PASS" : "FAIL")}"));
}

/// <summary>Input converted once to the engine's representation, for callers that evaluate it many times.</summary>
public sealed class RegoInput
{
    private RegoInput(Value value) => Value = value;

    internal Value Value { get; }

    public static RegoInput From(JsonNode? json) => new(JsonInterop.FromNode(json));

    public static RegoInput From(System.Text.Json.JsonElement json) => new(JsonInterop.FromElement(json));

    public static RegoInput Parse(string json) => new(JsonInterop.Parse(json));
}
