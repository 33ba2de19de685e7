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
    Task<JsonNode?> EvaluateAsync(PolicyBundle bundle, string query, JsonNode input, CancellationToken ct);
}

/// <summary>The engine cannot answer (down, or loaded with other policies): fail closed with 503.</summary>
public sealed class PolicyEngineUnavailableException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>When the engine is expected to answer again, if known: OPA's Retry-After, or what is left of an open circuit's break.</summary>
    public TimeSpan? RetryAfter { get; init; }
}

/// <summary>The bundle itself is wrong (does not compile, tests fail): a caller error, never a 503.</summary>
public sealed class PolicyBundleInvalidException(string message, IReadOnlyList<string> errors) : Exception(message)
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
