using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Policies.Bundles;
using BalticAI.Sovereignty.Rego;

namespace BalticAI.Sovereignty.Api.Policies.Engines;

/// <summary>
/// The embedded default: the project's managed Rego engine. Compiled bundles are cached by digest, so
/// replays of decisions made under older bundles compile those once and evaluate them exactly.
/// </summary>
public sealed class EmbeddedRegoEngine(RegoOptions options) : IPolicyEngine
{
    private readonly ConcurrentDictionary<string, Lazy<RegoPolicy>> _compiled = new(StringComparer.Ordinal);

    public string Name => "embedded";

    public Task ActivateAsync(PolicyBundle bundle, CancellationToken ct)
    {
        Compile(bundle);
        return Task.CompletedTask;
    }

    public Task EnsureLoadedAsync(PolicyBundle bundle, CancellationToken ct) => ActivateAsync(bundle, ct);

    public Task<JsonNode?> EvaluateAsync(PolicyBundle bundle, string query, JsonNode input, CancellationToken ct)
    {
        var policy = Compile(bundle);
        try
        {
            var result = policy.Evaluate(query, input, ct);
            return Task.FromResult(result.IsDefined ? result.Value : null);
        }
        catch (RegoException e)
        {
            // An evaluation error (conflict, builtin error, limit) is no answer: fail closed.
            throw new PolicyEngineUnavailableException($"policy evaluation failed: {e.First}", e);
        }
    }

    private RegoPolicy Compile(PolicyBundle bundle)
    {
        var lazy = _compiled.GetOrAdd(bundle.Digest, _ => new Lazy<RegoPolicy>(() =>
            RegoCompiler.Compile(bundle.Modules.Select(m => new RegoModule(m.Path, m.Source)), bundle.Data, options)));
        try
        {
            return lazy.Value;
        }
        catch (RegoException e)
        {
            _compiled.TryRemove(bundle.Digest, out _);
            throw new PolicyBundleInvalidException("the policy bundle does not compile", e.Errors.Select(x => x.ToString()).ToList());
        }
    }
}
