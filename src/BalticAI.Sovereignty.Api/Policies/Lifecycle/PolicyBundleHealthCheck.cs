using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BalticAI.Sovereignty.Api.Policies.Lifecycle;

/// <summary>
/// `/health/ready` reports **Degraded** while no bundle is active, with the reason when one is known: decisions answer 503
/// meanwhile, but the broker stays routable, since a PolicyAdmin activates the bundle that ends it through this broker.
/// </summary>
internal sealed class PolicyBundleHealthCheck(PolicyLifecycle lifecycle) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // Once active, a bundle is only ever replaced by another, never unset.
        if (lifecycle.HasActive)
        {
            var active = lifecycle.Active;
            return Task.FromResult(HealthCheckResult.Healthy($"bundle {active.Revision} ({active.Digest}) is active"));
        }
        return Task.FromResult(HealthCheckResult.Degraded("no policy bundle is active, so decisions answer 503: "
            + (lifecycle.NotActiveBecause ?? "the recorded bundle is not loaded yet")));
    }
}
