namespace BalticAI.Sovereignty.Rego;

/// <summary>Evaluation limits and behaviour. Defaults stop runaway policies without bothering normal ones.</summary>
public sealed record RegoOptions
{
    public static readonly RegoOptions Default = new();

    /// <summary>Maximum expression evaluations per query.</summary>
    public long MaxSteps { get; init; } = 5_000_000;

    /// <summary>Maximum nesting of rule and function evaluations.</summary>
    public int MaxDepth { get; init; } = 256;

    /// <summary>Wall-clock limit per query; null for none.</summary>
    public TimeSpan? Timeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>When true, builtin errors abort evaluation (OPA's strict-builtin-errors); otherwise the call is undefined.</summary>
    public bool StrictBuiltinErrors { get; init; }

    /// <summary>Stop after this many query results; 0 for all.</summary>
    public int MaxResults { get; init; }
}
