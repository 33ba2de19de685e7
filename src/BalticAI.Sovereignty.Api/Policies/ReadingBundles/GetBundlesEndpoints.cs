using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Ledger;
using BalticAI.Sovereignty.Api.Policies.Bundles;
using BalticAI.Sovereignty.Api.Policies.Lifecycle;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Policies.ReadingBundles;

/// <summary>
/// Every bundle a decision may name, for auditors: the activations in order, and any recorded bundle by its
/// digest with the modules and data the digest covers, so it can be recomputed and evaluated elsewhere (OPA).
/// </summary>
public static class GetBundlesEndpoints
{
    public sealed record Activation(string Revision, string Digest, string Engine, DateTimeOffset ActivatedAt, string? ActivatedBy, long LedgerVersion);

    public sealed record RecordedBundle(string Revision, string Digest, string EntryPoint, IReadOnlyList<ModuleInfo> Modules, JsonObject Data);

    public sealed record ModuleInfo(string Path, string Sha256, string Source);

    /// <summary>Modules with their own digests (`sha256` of the source's UTF-8) and the data tree the bundle digest covers.</summary>
    public static RecordedBundle Describe(PolicyBundle bundle) => new(bundle.Revision, bundle.Digest, PolicyBundle.DecisionQuery,
        bundle.Modules.Select(m => new ModuleInfo(m.Path, PolicyBundle.Sha256Hex(m.Source), m.Source)).ToList(), bundle.Data);

    public static RouteGroupBuilder MapGetBundles(this RouteGroupBuilder group)
    {
        group.MapGet("/bundles", async (IQuerySession session, CancellationToken ct) =>
            {
                // Activations are rare (a handful a year); each event also holds the bundle, read whole here.
                var events = await session.Events.FetchStreamAsync(PolicyLifecycle.StreamId, token: ct);
                return TypedResults.Ok(events
                    .Where(e => e.Data is PolicyBundleActivated)
                    .OrderByDescending(e => e.Version)
                    .Select(e => (Event: e, Activated: (PolicyBundleActivated)e.Data))
                    .Select(x => new Activation(x.Activated.Revision, x.Activated.Digest, x.Activated.Engine, x.Event.Timestamp,
                        x.Event.ReadActor()?.Organisation, x.Event.Version))
                    .ToList());
            })
            .RequireAuthorization(policy => policy.RequireRole(Roles.All))
            .WithName("ListPolicyActivations")
            .WithSummary("Every policy bundle activation, newest first: revision, digest, engine, when and by which organisation");

        group.MapGet("/bundles/{digest}", async Task<Results<Ok<RecordedBundle>, ProblemHttpResult>> (string digest, PolicyLifecycle lifecycle, CancellationToken ct) =>
                await lifecycle.FindAsync(digest, ct) is { } recorded
                    ? TypedResults.Ok(Describe(recorded))
                    : TypedResults.Problem(title: "No such bundle", detail: $"No policy bundle with digest {digest} was ever activated.", statusCode: StatusCodes.Status404NotFound))
            .RequireAuthorization(policy => policy.RequireRole(Roles.All))
            .WithName("GetPolicyBundle")
            .WithSummary("A recorded policy bundle by digest (the `bundle.digest` of a decision): module sources and the data tree its digest covers")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }
}
