using BalticAI.Sovereignty.Api.Ledger.RecordingReads;
using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Provenance.ModelVersions;
using BalticAI.Sovereignty.Api.Sites;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Provenance.QueryingLineage;

public sealed record UpstreamDatasetVersion(
    Guid DatasetId, int Version, int Depth, ModelVersionKey TrainedInto, Guid JobId, Guid? RunId, Guid SiteId,
    string? Owner, string? Status, string? Licence, IReadOnlyList<string> Countries, IReadOnlyList<GrantTrace> Grants);

public sealed record UpstreamModelVersion(string ModelId, string Version, string Digest, int Depth, Guid JobId, IReadOnlyList<ModelFlag> Flags);

public sealed record PolicyRevision(string Revision, string Digest);

public sealed record UpstreamSite(Guid SiteId, string Code, string Country, string Operator);

/// <summary>Everything upstream of a model version, transitively through its base models.</summary>
public sealed record ModelProvenance(
    ModelVersionView ModelVersion,
    IReadOnlyList<UpstreamDatasetVersion> DatasetVersions,
    IReadOnlyList<UpstreamModelVersion> BaseModels,
    IReadOnlyList<GrantTrace> Grants,
    IReadOnlyList<Guid> Decisions,
    IReadOnlyList<PolicyRevision> PolicyRevisions,
    IReadOnlyList<UpstreamSite> Sites,
    IReadOnlyList<string> Countries);

public static class GetModelProvenanceEndpoint
{
    public static IEndpointRouteBuilder MapGetModelProvenance(this IEndpointRouteBuilder app)
    {
        app.MapGet("/models/{modelId}/versions/{version}/provenance", HandleAsync)
            .RequireAuthorization(policy => policy.RequireRole(Roles.Auditor, Roles.Regulator))
            .RecordsReads()
            .WithName("GetModelProvenance")
            .WithTags("Provenance")
            .WithSummary("What went into a model version: dataset versions, grants, decisions, policy revisions, sites, countries, through its base models (Auditor, Regulator)")
            .WithDescription("Read from the model version's document, which records its whole upstream at registration. Regulators see the model versions their feed carried: concerning their country, or reported by a training system of it (the EU AI Office sees all).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Ok<ModelProvenance>, ProblemHttpResult>> HandleAsync(
        string modelId, string version, Caller caller, TenantMap tenants, IQuerySession session, CancellationToken ct)
    {
        var model = await session.LoadAsync<ModelVersionView>(LineageNames.ModelVersionId(modelId, version), ct);
        if (model is null || !await ProvenanceReadAccess.CanAuditAsync(caller, model, tenants, session, ct))
        {
            return ProvenanceReadAccess.ModelVersionNotFound(modelId, version);
        }
        var batch = session.CreateBatchQuery();
        var loadingDatasets = batch.LoadMany<DatasetView>().ById(model.Upstream.Select(u => u.DatasetId).Distinct().ToArray());
        var loadingModels = batch.LoadMany<ModelVersionView>().ById(model.Upstream.Select(u => u.TrainedInto).Append(model.Id).Distinct().ToArray());
        var loadingSites = batch.LoadMany<ComputeSite>().ById(model.Upstream.Select(u => u.SiteId).Append(model.SiteId).Distinct().ToArray());
        await batch.Execute(ct);
        var datasets = (await loadingDatasets).ToDictionary(d => d.Id);
        var models = (await loadingModels).ToDictionary(m => m.Id);
        var depthOf = model.Upstream.GroupBy(u => u.TrainedInto).ToDictionary(g => g.Key, g => g.Min(u => u.Depth));
        var grants = model.Upstream.SelectMany(u => u.Grants).DistinctBy(g => g.GrantId).ToList();
        return TypedResults.Ok(new ModelProvenance(
            model,
            model.Upstream.Select(u => new UpstreamDatasetVersion(
                u.DatasetId, u.Version, u.Depth,
                models.TryGetValue(u.TrainedInto, out var into) ? new ModelVersionKey(into.ModelId, into.Version) : new ModelVersionKey(model.ModelId, model.Version),
                u.JobId, u.RunId, u.SiteId,
                datasets.GetValueOrDefault(u.DatasetId)?.Owner, datasets.GetValueOrDefault(u.DatasetId)?.Status,
                datasets.GetValueOrDefault(u.DatasetId)?.State.Terms.Licensing.Licence, u.Countries, u.Grants)).ToList(),
            models.Values.Where(m => m.Id != model.Id)
                .Select(m => new UpstreamModelVersion(m.ModelId, m.Version, m.Digest, depthOf.GetValueOrDefault(m.Id), m.JobId, m.Flags))
                .OrderBy(m => m.Depth).ToList(),
            grants,
            grants.Select(g => g.DecisionId).Distinct().ToList(),
            grants.Where(g => g.BundleRevision.Length > 0).Select(g => new PolicyRevision(g.BundleRevision, g.BundleDigest)).Distinct().ToList(),
            (await loadingSites).Select(s => new UpstreamSite(s.Id, s.Code, s.Country, s.Operator)).ToList(),
            model.Countries));
    }
}
