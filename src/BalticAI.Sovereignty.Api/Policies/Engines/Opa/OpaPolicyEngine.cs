using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Policies.Bundles;

namespace BalticAI.Sovereignty.Api.Policies.Engines.Opa;

/// <summary>
/// Evaluates through an OPA server. OPA cannot pin a query to a policy version, so the broker checks
/// (at most every <see cref="PolicyOptions.OpaVerifyInterval"/>) that OPA holds exactly the recorded
/// bundle, and answers 503 while it does not. That check is a call of its own, so every query (the
/// decision and a dry run's reference alike) reads the <see cref="OpaPin"/> in the same evaluation: an
/// answer then always names the policy that gave it, also when another node loads a bundle into a
/// shared OPA between the check and the evaluation.
/// </summary>
public sealed class OpaPolicyEngine(OpaClient client, PolicyOptions options, TimeProvider clock, ILogger<OpaPolicyEngine> logger) : IPolicyEngine
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    // One reference, read outside the gate: a digest and a time kept in two fields could be read half-updated.
    private volatile Verification? _verified;

    public string Name => "opa";

    public async Task ActivateAsync(PolicyBundle bundle, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            _verified = null;
            await client.LoadAsync(bundle, ct);
            if (!await client.HoldsAsync(bundle, ct))
            {
                throw new PolicyEngineUnavailableException("OPA does not hold the bundle that was just loaded into it");
            }
            Verified(bundle);
            logger.LogInformation("Loaded policy bundle {Bundle} into OPA", bundle);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task EnsureLoadedAsync(PolicyBundle bundle, CancellationToken ct)
    {
        if (!await client.HoldsAsync(bundle, ct))
        {
            await ActivateAsync(bundle, ct);
        }
    }

    public async Task<JsonNode?> EvaluateAsync(PolicyBundle bundle, string query, JsonNode input, CancellationToken ct)
    {
        await EnsureHoldsAsync(bundle, ct);
        try
        {
            // The decision goes through the Data API (the hot path: no query to parse). A dry run may name any reference,
            // which no fixed rule of the pin can read for it: it is sent with the pin as one ad-hoc query.
            return query == PolicyBundle.DecisionQuery
                ? OpaPin.Unpin(await client.EvaluateAsync(OpaPin.Query, input, ct), bundle)
                : OpaPin.UnpinQuery(await client.QueryAsync(OpaPin.QueryOf(query), input, ct), bundle);
        }
        catch (PolicyEngineUnavailableException)
        {
            // The next evaluation checks everything OPA holds again, rather than trusting the last check's interval.
            _verified = null;
            throw;
        }
        catch (PolicyEvaluationFailedException)
        {
            // An error comes without the pin, so it is shown as this bundle's only when OPA still holds this bundle after
            // answering it. Only a load and a load back, both between the check before and this one, could slip past.
            if (!await client.HoldsAsync(bundle, ct))
            {
                _verified = null;
                throw new PolicyEngineUnavailableException($"OPA's loaded policies changed while it evaluated under the recorded bundle {bundle.Revision}");
            }
            throw;
        }
    }

    private async Task EnsureHoldsAsync(PolicyBundle bundle, CancellationToken ct)
    {
        if (IsFreshlyVerified(bundle))
        {
            return;
        }
        await _gate.WaitAsync(ct);
        try
        {
            if (IsFreshlyVerified(bundle))
            {
                return;
            }
            if (!await client.HoldsAsync(bundle, ct))
            {
                _verified = null;
                logger.LogWarning("OPA's loaded policies differ from the recorded bundle {Bundle}; refusing decisions until it is reloaded", bundle);
                throw new PolicyEngineUnavailableException($"OPA's loaded policies differ from the recorded bundle {bundle.Revision}");
            }
            Verified(bundle);
        }
        finally
        {
            _gate.Release();
        }
    }

    private bool IsFreshlyVerified(PolicyBundle bundle) =>
        _verified is { } verified && verified.Digest == bundle.Digest && clock.GetUtcNow() - verified.At < options.OpaVerifyInterval;

    private void Verified(PolicyBundle bundle) => _verified = new Verification(bundle.Digest, clock.GetUtcNow());

    private sealed record Verification(string Digest, DateTimeOffset At);
}
