using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Decisions.PolicyInput;
using BalticAI.Sovereignty.Api.Decisions.RequestingAccess;
using BalticAI.Sovereignty.Api.Infrastructure.Telemetry;
using BalticAI.Sovereignty.Api.Policies.Bundles;
using BalticAI.Sovereignty.Api.Policies.Engines;
using BalticAI.Sovereignty.Api.Sites;

namespace BalticAI.Sovereignty.Api.Decisions.Grants.Revoking;

/// <summary>
/// A grant's recorded decision taken again under a bundle, its `site` and `dataset` rebuilt from the facts given, as a
/// replay evaluates (ReplayDecisionEndpoint): what the revoker does for every grant a change concerns, and a release for
/// its own grant while the revoker has not yet (PendingRedecision). The broker's own engine even when an OPA server
/// decides: it holds any recorded bundle, and an OPA server that is briefly down must not end every grant concerned.
/// </summary>
public sealed class GrantRedecision(EmbeddedRegoEngine engine, BrokerTelemetry telemetry, ILogger<GrantRedecision> logger)
{
    /// <summary>The verdict with the grant window applied, or null when the engine gives no answer (which is no allow).</summary>
    public Task<PolicyVerdict?> TakeAgainAsync(PolicyBundle bundle, AccessDecided decided, ComputeSite site, Dataset dataset, EvaluationPurpose purpose, CancellationToken ct) =>
        TakeAgainAsync(bundle, decided, site, dataset, purpose, input => telemetry.EvaluateAsync(engine, bundle, PolicyBundle.DecisionQuery, input, purpose, ct), ct);

    /// <summary>
    /// The same under a candidate its caller compiled (an impact assessment): evaluated as it is, not through the engine's
    /// cache, which it would push a recorded bundle out of.
    /// </summary>
    public Task<PolicyVerdict?> TakeAgainAsync(PolicyBundle candidate, Rego.RegoPolicy compiled, AccessDecided decided, ComputeSite site, Dataset dataset,
        EvaluationPurpose purpose, CancellationToken ct) =>
        TakeAgainAsync(candidate, decided, site, dataset, purpose,
            input => telemetry.EvaluateAsync(engine.Name, candidate, purpose, () => Task.FromResult(EmbeddedRegoEngine.Evaluate(compiled, PolicyBundle.DecisionQuery, input, ct))), ct);

    private async Task<PolicyVerdict?> TakeAgainAsync(PolicyBundle bundle, AccessDecided decided, ComputeSite site, Dataset dataset, EvaluationPurpose purpose,
        Func<System.Text.Json.Nodes.JsonNode, Task<System.Text.Json.Nodes.JsonNode?>> evaluate, CancellationToken ct)
    {
        try
        {
            var input = PolicyInputBuilder.WithDataset(PolicyInputBuilder.WithSite(decided.Input, site), dataset);
            return PolicyVerdict.Interpret(await evaluate(input)).WithinGrantWindow(input);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogWarning(e, "Decision {DecisionId} could not be taken again under bundle {Digest} ({Purpose}); its grant does not stand",
                decided.DecisionId, bundle.Digest, purpose);
            return null;
        }
    }
}
