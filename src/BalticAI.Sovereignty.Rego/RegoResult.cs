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
public sealed record RegoTestResult(string Name, string File, bool Passed, string? Error, TimeSpan Duration);

/// <summary>Input converted once to the engine's representation, for callers that evaluate it many times.</summary>
public sealed class RegoInput
{
    private RegoInput(Value value) => Value = value;

    internal Value Value { get; }

    public static RegoInput From(JsonNode? json) => new(JsonInterop.FromNode(json));

    public static RegoInput From(System.Text.Json.JsonElement json) => new(JsonInterop.FromElement(json));

    public static RegoInput Parse(string json) => new(JsonInterop.Parse(json));
}
