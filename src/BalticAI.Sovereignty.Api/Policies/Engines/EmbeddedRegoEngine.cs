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

    /// <summary>Compiles and runs the bundle's tests; the errors explain why a bundle is refused.</summary>
    public static IReadOnlyList<string> Validate(PolicyBundle bundle, RegoOptions options)
    {
        RegoPolicy policy;
        try
        {
            policy = RegoCompiler.Compile(bundle.Modules.Select(m => new RegoModule(m.Path, m.Source)), bundle.Data, options);
        }
        catch (RegoException e)
        {
            return e.Errors.Select(x => x.ToString()).ToList();
        }
        var conflicts = DataConflicts(policy, bundle.Data);
        if (conflicts.Count > 0)
        {
            return conflicts;
        }
        return policy.RunTests()
            .Where(t => !t.Passed)
            .Select(t => $"{t.File}: {t.Name}: FAIL{(t.Error is null ? "" : " (" + t.Error + ")")}")
            .ToList();
    }

    /// <summary>
    /// Rules whose document the data tree also holds (at the rule's path, or a value that is no object above it). The
    /// managed engine answered with the data, so a data document `access.decision: {allow: true}` overrode the rule
    /// that denied; OPA refuses such a bundle when it is loaded (its path-conflict check), so refuse it in both modes.
    /// </summary>
    private static List<string> DataConflicts(RegoPolicy policy, JsonObject data)
    {
        var conflicts = new List<string>();
        foreach (var path in policy.RulePaths())
        {
            JsonNode? node = data;
            for (var (depth, present) = (0, true); present; depth++)
            {
                if (depth == path.Count || node is not JsonObject inner)
                {
                    conflicts.Add($"rego_compile_error: conflicting rule for data path {string.Join('/', path)} found (the data tree holds {string.Join('/', path.Take(depth))})");
                    break;
                }
                present = inner.TryGetPropertyValue(path[depth], out node);
            }
        }
        return conflicts.Order(StringComparer.Ordinal).ToList();
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
