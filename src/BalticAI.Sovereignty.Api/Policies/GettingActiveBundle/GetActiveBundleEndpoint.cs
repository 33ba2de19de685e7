using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Policies.Bundles;
using BalticAI.Sovereignty.Api.Policies.Engines;
using BalticAI.Sovereignty.Api.Policies.Lifecycle;

namespace BalticAI.Sovereignty.Api.Policies.GettingActiveBundle;

public static class GetActiveBundleEndpoint
{
    public sealed record ActiveBundle(string Revision, string Digest, string Engine, string EntryPoint, IReadOnlyList<ModuleInfo> Modules);

    public sealed record ModuleInfo(string Path, string Sha256, string Source);

    public static RouteGroupBuilder MapGetActiveBundle(this RouteGroupBuilder group)
    {
        group.MapGet("/active", (PolicyLifecycle lifecycle, IPolicyEngine engine) =>
            {
                var bundle = lifecycle.Active;
                return TypedResults.Ok(new ActiveBundle(bundle.Revision, bundle.Digest, engine.Name, PolicyBundle.DecisionQuery,
                    bundle.Modules.Select(m => new ModuleInfo(m.Path, PolicyBundle.Sha256Hex(m.Source), m.Source)).ToList()));
            })
            .RequireAuthorization(policy => policy.RequireRole(Roles.All))
            .WithName("GetActivePolicyBundle")
            .WithSummary("The policy bundle every decision is evaluated under: revision, digest and module sources")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return group;
    }
}
