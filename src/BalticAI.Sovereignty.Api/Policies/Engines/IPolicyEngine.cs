using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Policies.Bundles;

namespace BalticAI.Sovereignty.Api.Policies.Engines;

/// <summary>Evaluates a recorded bundle: the embedded Rego engine or an OPA server.</summary>
public interface IPolicyEngine
{
    string Name { get; }

    /// <summary>Makes <paramref name="bundle"/> the one evaluated from now on (OPA: loads it into the server).</summary>
    Task ActivateAsync(PolicyBundle bundle, CancellationToken ct);

    /// <summary>Reloads <paramref name="bundle"/> if the engine lost it (an OPA server restarted empty).</summary>
    Task EnsureLoadedAsync(PolicyBundle bundle, CancellationToken ct);

    /// <summary>Evaluates <paramref name="query"/> under <paramref name="bundle"/>; null when the result is undefined.</summary>
    /// <exception cref="PolicyEngineUnavailableException">The engine cannot answer for exactly this bundle.</exception>
    /// <exception cref="PolicyEvaluationFailedException">The bundle's evaluation of this input fails, as it would on every retry.</exception>
    Task<JsonNode?> EvaluateAsync(PolicyBundle bundle, string query, JsonNode input, CancellationToken ct);
}

/// <summary>The engine cannot answer (down, or loaded with other policies): fail closed with 503.</summary>
public sealed class PolicyEngineUnavailableException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>When the engine is expected to answer again, if known: OPA's Retry-After, or what is left of an open circuit's break.</summary>
    public TimeSpan? RetryAfter { get; init; }
}

/// <summary>
/// The engine answered, and its answer is an error that the same bundle and input raise again on every retry: a rule
/// conflict, a type or builtin error, a reference OPA's type checker rejects. A dry run or a replay shows it (422); any
/// other caller gets 503 as for an engine that cannot answer (DependencyUnavailableHandler), so a decision fails closed.
/// </summary>
public sealed class PolicyEvaluationFailedException(IReadOnlyList<string> errors)
    : Exception($"policy evaluation failed: {string.Join("; ", errors)}")
{
    /// <summary>The engine's errors, each as OPA prints one: `file:row: code: message`, or `code: message` without a location.</summary>
    public IReadOnlyList<string> Errors { get; } = errors;

    /// <summary>One error in that form, from OPA's error object or the managed engine's (they name the same codes).</summary>
    public static string Format(string code, string message, string? file, int row) =>
        string.IsNullOrEmpty(file) || row <= 0 ? $"{code}: {message}" : $"{file}:{row}: {code}: {message}";
}

/// <summary>The bundle itself is wrong (does not compile, tests fail): a caller error, never a 503.</summary>
public sealed class PolicyBundleInvalidException(string message, IReadOnlyList<string> errors) : Exception(message)
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
