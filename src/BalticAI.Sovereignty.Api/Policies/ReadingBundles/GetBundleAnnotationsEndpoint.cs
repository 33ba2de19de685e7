using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Policies.Lifecycle;
using BalticAI.Sovereignty.Rego;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Policies.ReadingBundles;

/// <summary>
/// The rules a recorded bundle holds, as their METADATA describes them (`opa inspect --annotations`): title,
/// description, the legal sources in `custom`, for each package and rule. A decision names its bundle's digest, so an
/// auditor reads here what each rule it was decided under is for, without reading Rego.
/// </summary>
public static class GetBundleAnnotationsEndpoint
{
    /// <summary>
    /// Read once per digest: the digest fixes the modules, so their blocks never change, and reading them compiles the
    /// bundle (70-130 ms on the demo). Bundles are activated a handful of times a year, so the map stays small.
    /// </summary>
    private static readonly ConcurrentDictionary<string, RegoAnnotations> ReadByDigest = new(StringComparer.Ordinal);

    /// <summary>One METADATA block: the document it annotates (`data.` and its path), the file and line it stands at, and its keys.</summary>
    public sealed record Entry(string Document, IReadOnlyList<string> Path, string File, int Line, JsonObject Annotations);

    /// <summary>
    /// The blocks sorted by document, then by where they stand; <see cref="Errors"/> names the blocks that could not be
    /// read (a bundle recorded before activation checked them), which are left out.
    /// </summary>
    public sealed record BundleAnnotations(string Revision, string Digest, IReadOnlyList<Entry> Annotations, IReadOnlyList<string> Errors);

    public static RouteGroupBuilder MapGetBundleAnnotations(this RouteGroupBuilder group)
    {
        group.MapGet("/bundles/{digest}/annotations", GetAsync)
            .RequireAuthorization(policy => policy.RequireRole(Roles.All))
            .WithName("GetPolicyBundleAnnotations")
            .WithSummary("The METADATA blocks of a recorded policy bundle (the `bundle.digest` of a decision), as `opa inspect --annotations` lists them: "
                + "for each package and rule its title, description and `custom` keys (the shipped bundle's legal sources), sorted by document")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private static async Task<Results<Ok<BundleAnnotations>, ProblemHttpResult>> GetAsync(string digest, PolicyLifecycle lifecycle, CancellationToken ct)
    {
        if (await lifecycle.FindRecordedAsync(digest, ct) is not { } found)
        {
            return GetBundlesEndpoints.NoSuchBundle(digest);
        }

        var bundle = found.ToBundle();
        var read = ReadByDigest.GetOrAdd(bundle.Digest, _ => ReadBlocks(bundle));
        return TypedResults.Ok(new BundleAnnotations(
            bundle.Revision,
            bundle.Digest,
            [.. read.Annotations.Select(a => new Entry("data." + string.Join('.', a.Path), a.Path, a.File, a.Line, a.Annotations))],
            [.. read.Errors.Select(e => e.ToString())]));
    }

    private static RegoAnnotations ReadBlocks(Bundles.PolicyBundle bundle)
    {
        try
        {
            return RegoAnnotations.Read(bundle.Modules.Select(m => new RegoModule(m.Path, m.Source)));
        }
        catch (RegoException e)
        {
            // A recorded bundle compiled when it was activated; should a later engine refuse it, say why rather than fail.
            return new RegoAnnotations([], e.Errors);
        }
    }
}
