using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Concurrency;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Policies.Engines;
using BalticAI.Sovereignty.Api.Policies.Lifecycle;
using BalticAI.Sovereignty.Api.Policies.ReadingBundles;
using BalticAI.Sovereignty.Api.Policies.Signing;

namespace BalticAI.Sovereignty.Api.Policies.GettingActiveBundle;

public static class GetActiveBundleEndpoint
{
    /// <summary>
    /// The recorded bundle as GET /policies/bundles/{digest} shows it, with the engine evaluating it and what its tests
    /// showed at its last activation (null for a bundle last activated before that was kept), and the signature that
    /// activation verified (null when it was unsigned).
    /// </summary>
    public sealed record ActiveBundle(
        string Revision, string Digest, string Engine, string EntryPoint, IReadOnlyList<GetBundlesEndpoints.ModuleInfo> Modules, JsonObject Data, BundleTests? Tests,
        BundleSignature? Signature);

    public static RouteGroupBuilder MapGetActiveBundle(this RouteGroupBuilder group)
    {
        group.MapGet("/active", async (HttpResponse response, PolicyLifecycle lifecycle, IPolicyEngine engine, CancellationToken ct) =>
            {
                var (active, version) = lifecycle.ActiveActivation;
                var bundle = GetBundlesEndpoints.Describe(active);
                var recorded = await lifecycle.FindRecordedAsync(active.Digest, ct);
                ETags.Set(response, version);
                return TypedResults.Ok(new ActiveBundle(bundle.Revision, bundle.Digest, engine.Name, bundle.EntryPoint, bundle.Modules, bundle.Data, recorded?.Tests, recorded?.Signature));
            })
            .RequireAuthorization(policy => policy.RequireRole(Roles.All))
            .WithName("GetActivePolicyBundle")
            .WithSummary("The policy bundle every decision is evaluated under: revision, digest, module sources, the data tree the digest covers, what its tests showed at activation (`tests`) and the signature it was verified with (`signature`); its ETag names the activation that put it in force, for a conditional activation (If-Match on POST /policies/bundles)");
        return group;
    }
}
