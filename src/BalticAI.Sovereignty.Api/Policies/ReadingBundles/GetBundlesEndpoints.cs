using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Ledger;
using BalticAI.Sovereignty.Api.Policies.Bundles;
using BalticAI.Sovereignty.Api.Policies.Lifecycle;
using BalticAI.Sovereignty.Api.Policies.Signing;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Policies.ReadingBundles;

/// <summary>
/// Every bundle a decision may name, for auditors: the activations in order, and any recorded bundle by its
/// digest with the modules and data the digest covers, so it can be recomputed and evaluated elsewhere (OPA).
/// </summary>
public static class GetBundlesEndpoints
{
    /// <summary>
    /// One activation; <see cref="Tests"/> is what the bundle's tests showed then, null for activations recorded before it
    /// was kept; <see cref="Signature"/> the signature it was verified with, null for an unsigned one.
    /// </summary>
    public sealed record Activation(
        string Revision, string Digest, string Engine, DateTimeOffset ActivatedAt, string? ActivatedBy, long LedgerVersion, BundleTests? Tests, BundleSignature? Signature);

    /// <summary>
    /// A bundle as its digest covers it. Read by digest, it also lists every activation of this content, newest first: the
    /// digest covers modules and data only, so the same content activated again under another revision is one bundle, and
    /// its revision is only the name it was last recorded under. A decision names its own revision; these are all of them.
    /// </summary>
    public sealed record RecordedBundle(string Revision, string Digest, string EntryPoint, IReadOnlyList<ModuleInfo> Modules, JsonObject Data,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<Activation>? Activations = null,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] BundleTests? Tests = null);

    public sealed record ModuleInfo(string Path, string Sha256, string Source);

    /// <summary>Modules with their own digests (`sha256` of the source's UTF-8) and the data tree the bundle digest covers.</summary>
    public static RecordedBundle Describe(PolicyBundle bundle) => new(bundle.Revision, bundle.Digest, PolicyBundle.DecisionQuery,
        bundle.Modules.Select(m => new ModuleInfo(m.Path, PolicyBundle.Sha256Hex(m.Source), m.Source)).ToList(), bundle.Data);

    public static RouteGroupBuilder MapGetBundles(this RouteGroupBuilder group)
    {
        group.MapGet("/bundles", async (IQuerySession session, CancellationToken ct) => TypedResults.Ok(await ActivationsAsync(session, ct)))
            .RequireAuthorization(policy => policy.RequireRole(Roles.All))
            .WithName("ListPolicyActivations")
            .WithSummary("Every policy bundle activation, newest first: revision, digest, engine, when, by which organisation, what the bundle's tests showed (`tests`) and the signature it was verified with (`signature`, Policy:BundleSigning)");

        group.MapGet("/bundles/{digest}", GetBundleAsync)
            .RequireAuthorization(policy => policy.RequireRole(Roles.All))
            .WithName("GetPolicyBundle")
            .WithSummary("A recorded policy bundle by digest (the `bundle.digest` of a decision): module sources, the data tree its digest covers, every activation of it and what its tests showed at the last (`tests`); "
                + "with `Accept: application/gzip`, the bundle as an OPA bundle archive (`opa eval -b`), the same bytes on every request")
            .ProducesArchive()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private static async Task<Results<Ok<RecordedBundle>, FileContentHttpResult, ProblemHttpResult>> GetBundleAsync(
        string digest, HttpContext http, PolicyLifecycle lifecycle, IQuerySession session, CancellationToken ct)
    {
        // Caches must keep the JSON and the archive apart.
        http.Response.Headers.Vary = "Accept";
        if (await lifecycle.FindRecordedAsync(digest, ct) is not { } found)
        {
            return NoSuchBundle(digest);
        }
        var recorded = found.ToBundle();
        if (WantsArchive(http.Request))
        {
            return TypedResults.File(OpaBundleExport.Write(recorded), OpaBundleMedia.Archive, $"bundle-{recorded.Digest[7..19]}.tar.gz");
        }
        return TypedResults.Ok(Describe(recorded) with
        {
            Activations = (await ActivationsAsync(session, ct)).Where(a => a.Digest == recorded.Digest).ToList(),
            Tests = found.Tests,
        });
    }

    /// <summary>The 404 of every route reading a recorded bundle by digest.</summary>
    internal static ProblemHttpResult NoSuchBundle(string digest) =>
        TypedResults.Problem(title: "No such bundle", detail: $"No policy bundle with digest {digest} was ever activated.", statusCode: StatusCodes.Status404NotFound);

    /// <summary>The archive when Accept ranks application/gzip above application/json; JSON when it names neither, or both alike.</summary>
    private static bool WantsArchive(HttpRequest request)
    {
        var accepted = request.GetTypedHeaders().Accept;
        double Quality(string mediaType) => accepted.Where(a => a.MediaType.Equals(mediaType, StringComparison.OrdinalIgnoreCase))
            .Select(a => a.Quality ?? 1).DefaultIfEmpty(0).Max();
        var archive = Quality(OpaBundleMedia.Archive);
        return archive > 0 && archive > Quality("application/json");
    }

    /// <summary>Every activation, newest first. They are rare (a handful a year); each event also holds its bundle, read whole here.</summary>
    private static async Task<List<Activation>> ActivationsAsync(IQuerySession session, CancellationToken ct) =>
        (await session.Events.FetchStreamAsync(PolicyLifecycle.StreamId, token: ct))
            .Where(e => e.Data is PolicyBundleActivated)
            .OrderByDescending(e => e.Version)
            .Select(e => (Event: e, Activated: (PolicyBundleActivated)e.Data))
            .Select(x => new Activation(x.Activated.Revision, x.Activated.Digest, x.Activated.Engine, x.Event.Timestamp,
                x.Event.ReadActor()?.Organisation, x.Event.Version, x.Activated.Tests, x.Activated.Signature))
            .ToList();
}
