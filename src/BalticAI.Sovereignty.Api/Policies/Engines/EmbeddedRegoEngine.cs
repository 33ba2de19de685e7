using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Policies.Bundles;
using BalticAI.Sovereignty.Rego;

namespace BalticAI.Sovereignty.Api.Policies.Engines;

/// <summary>
/// The embedded default: the project's managed Rego engine. It also replays decisions made under older bundles
/// (in both modes, since an OPA server holds only the active one), with the options of live decisions: the active
/// bundle is held compiled, the <see cref="CachedBundles"/> most recently used ones are kept compiled by digest.
/// </summary>
public sealed class EmbeddedRegoEngine(RegoOptions options) : IPolicyEngine
{
    /// <summary>Old bundles kept compiled besides the active one: replays mostly ask for the few last ones.</summary>
    public const int CachedBundles = 4;

    private readonly CompiledBundleCache _compiled = new(CachedBundles);

    // Held apart from the cache, so replays of old bundles never evict the one every decision needs.
    private volatile Compiled? _active;

    public string Name => "embedded";

    /// <summary>How many times a bundle was compiled (tests observe the cache through it).</summary>
    public long Compilations => _compiled.Compilations;

    public Task ActivateAsync(PolicyBundle bundle, CancellationToken ct)
    {
        _active = new Compiled(bundle.Digest, Compile(bundle));
        return Task.CompletedTask;
    }

    public Task EnsureLoadedAsync(PolicyBundle bundle, CancellationToken ct) => ActivateAsync(bundle, ct);

    public Task<JsonNode?> EvaluateAsync(PolicyBundle bundle, string query, JsonNode input, CancellationToken ct) =>
        Task.FromResult(Evaluate(Compile(bundle), query, input, ct));

    /// <summary>
    /// Evaluates a policy compiled elsewhere (a candidate bundle activation's checks compiled), failing as
    /// <see cref="EvaluateAsync"/> fails; null when the result is undefined.
    /// </summary>
    public static JsonNode? Evaluate(RegoPolicy policy, string query, JsonNode input, CancellationToken ct)
    {
        try
        {
            var result = policy.Evaluate(query, input, ct);
            return result.IsDefined ? result.Value : null;
        }
        catch (RegoException e) when (e.Errors.Any(error => error.Kind is RegoErrorKind.EvalCancelError or RegoErrorKind.EvalLimitError))
        {
            // The time limit, the caller gone, or a step or depth budget: the engine's limits, not the policy's answer.
            // OPA has no such budget: a policy that spends it there runs into a time limit, which is not an answer either.
            throw new PolicyEngineUnavailableException($"policy evaluation failed: {e.First}", e);
        }
        catch (RegoException e)
        {
            throw new PolicyEvaluationFailedException(
                e.Errors.Select(error => PolicyEvaluationFailedException.Format(error.Code, error.Message, error.File, error.Line)).ToList());
        }
    }

    private RegoPolicy Compile(PolicyBundle bundle)
    {
        if (_active is { } active && active.Digest == bundle.Digest)
        {
            return active.Policy;
        }
        try
        {
            return _compiled.GetOrCompile(bundle.Digest, () =>
                RegoCompiler.Compile(bundle.Modules.Select(m => new RegoModule(m.Path, m.Source)), bundle.Data, options));
        }
        catch (RegoException e)
        {
            throw new PolicyBundleInvalidException("the policy bundle does not compile", e.Errors.Select(x => x.ToString()).ToList());
        }
    }

    private sealed record Compiled(string Digest, RegoPolicy Policy);
}
