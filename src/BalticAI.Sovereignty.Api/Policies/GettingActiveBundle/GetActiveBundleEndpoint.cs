using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Policies.Engines;
using BalticAI.Sovereignty.Api.Policies.Lifecycle;
using BalticAI.Sovereignty.Api.Policies.ReadingBundles;

namespace BalticAI.Sovereignty.Api.Policies.GettingActiveBundle;

public static class GetActiveBundleEndpoint
{
    /// <summary>The recorded bundle as GET /policies/bundles/{digest} shows it, with the engine evaluating it.</summary>
    public sealed record ActiveBundle(string Revision, string Digest, string Engine, string EntryPoint, IReadOnlyList<GetBundlesEndpoints.ModuleInfo> Modules, JsonObject Data);

    public static RouteGroupBuilder MapGetActiveBundle(this RouteGroupBuilder group)
    {
        group.MapGet("/active", (PolicyLifecycle lifecycle, IPolicyEngine engine) =>
            {
                var bundle = GetBundlesEndpoints.Describe(lifecycle.Active);
                return TypedResults.Ok(new ActiveBundle(bundle.Revision, bundle.Digest, engine.Name, bundle.EntryPoint, bundle.Modules, bundle.Data));
            })
            .RequireAuthorization(policy => policy.RequireRole(Roles.All))
            .WithName("GetActivePolicyBundle")
            .WithSummary("The policy bundle every decision is evaluated under: revision, digest, module sources and the data tree the digest covers");
        return group;
    }
}
