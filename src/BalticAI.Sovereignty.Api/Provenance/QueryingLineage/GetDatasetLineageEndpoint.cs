using BalticAI.Sovereignty.Api.Ledger.RecordingReads;
using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Provenance.ModelVersions;
using BalticAI.Sovereignty.Api.Provenance.Runs;
using BalticAI.Sovereignty.Api.TrainingJobs;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Provenance.QueryingLineage;

public sealed record DownstreamJob(Guid JobId, string TrainingSystem, string Operator, JobPurpose Purpose, bool Commercial, Guid SiteId, string SiteCountry);

/// <summary>A run that read versions of the dataset, or of a dataset derived from it (<see cref="DatasetId"/>).</summary>
public sealed record DownstreamRun(Guid RunId, Guid JobId, string State, Guid DatasetId, IReadOnlyList<int> DatasetVersions, DateTimeOffset FirstReportedAt, DateTimeOffset? EndedAt);

/// <summary>A model version with a version of the dataset, or of a dataset derived from it (<see cref="DatasetId"/>), upstream; depth counts fine-tunes.</summary>
public sealed record DownstreamModelVersion(
    string ModelId, string Version, string Digest, Guid DatasetId, int DatasetVersion, int Depth, Guid JobId, Guid? RunId,
    BaseModelLink? BaseModel, RestrictionSummary Restrictions, IReadOnlyList<ModelFlag> Flags);

/// <summary>
/// A model version's inherited restrictions as lineage lists them. Where each comes from (`sources`,
/// repeated for every fine-tune) is in `GET /models/{id}/versions/{v}`: on a much-used dataset it was most
/// of the answer.
/// </summary>
public sealed record RestrictionSummary(bool NonCommercial, bool ResearchOnly, bool NoDerivatives, bool ShareAlike,
    IReadOnlyList<string> InputLicences, IReadOnlyList<string> LicenceConflicts);

/// <summary>What lineage shows of a run, selected in SQL: the document also keeps every run event and input.</summary>
public sealed class RunSummary
{
    public Guid Id { get; init; }
    public Guid JobId { get; init; }
    public string State { get; init; } = "";
    public DateTimeOffset FirstReportedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
}

/// <summary>Everything downstream of a dataset: derived datasets, jobs, runs and model versions, transitively through derivations and fine-tunes.</summary>
public sealed record DatasetLineage(
    Guid DatasetId,
    string Status,
    IReadOnlyList<DerivedDataset> DerivedDatasets,
    IReadOnlyList<DownstreamJob> Jobs,
    IReadOnlyList<DownstreamRun> Runs,
    IReadOnlyList<DownstreamModelVersion> ModelVersions);

/// <summary>
/// What lineage shows of a model version, selected in SQL: the whole document also records the upstream
/// and where each restriction comes from (tens of KB through fine-tunes), which lineage does not show and
/// should not deserialize.
/// </summary>
public sealed class ModelVersionSummary
{
    public Guid Id { get; init; }
    public string ModelId { get; init; } = "";
    public string Version { get; init; } = "";
    public string Digest { get; init; } = "";
    public Guid JobId { get; init; }
    public Guid? RunId { get; init; }
    public BaseModelLink? BaseModel { get; init; }
    public bool NonCommercial { get; init; }
    public bool ResearchOnly { get; init; }
    public bool NoDerivatives { get; init; }
    public bool ShareAlike { get; init; }
    public IReadOnlyList<string> InputLicences { get; init; } = [];
    public IReadOnlyList<string> LicenceConflicts { get; init; } = [];
    public IReadOnlyList<ModelFlag> Flags { get; init; } = [];
}

public static class GetDatasetLineageEndpoint
{
    public static IEndpointRouteBuilder MapGetDatasetLineage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/datasets/{id:guid}/lineage", HandleAsync)
            .RequireAuthorization(policy => policy.RequireRole(Roles.Auditor, Roles.Regulator))
            .RecordsReads()
            .WithName("GetDatasetLineage")
            .WithTags("Provenance")
            .WithSummary("Which derived datasets, jobs, runs and model versions used a dataset, transitively through derivations and fine-tunes (Auditor, Regulator)")
            .WithDescription("Read from indexed lineage edges and the datasets' lineage.derivedFrom, never by walking the ledger. Regulators see what their feed carried: a dataset concerning their country, or the runs and model versions on another country's dataset that their country's training system reported (the EU AI Office sees all).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Ok<DatasetLineage>, ProblemHttpResult>> HandleAsync(Guid id, Caller caller, TenantMap tenants, IQuerySession session, CancellationToken ct)
    {
        var dataset = await session.LoadAsync<DatasetView>(id, ct);
        if (dataset is null || await DerivedDatasets.ReadableAsync(session, caller, tenants, dataset, ct) is not (var derived, var datasetIds, var edges, var chain))
        {
            return DatasetProblems.NotFound(id);
        }
        var batch = session.CreateBatchQuery();
        var runIds = edges.Where(e => e.RunId is not null).Select(e => e.RunId!.Value).Distinct().ToArray();
        var loadingRuns = batch.Query<TrainingRun>().Where(r => runIds.Contains(r.Id)).Select(r => new RunSummary
        {
            Id = r.Id, JobId = r.JobId, State = r.State, FirstReportedAt = r.FirstReportedAt, EndedAt = r.EndedAt,
        }).ToList();
        var modelIds = edges.Where(e => e.ModelVersionId is not null).Select(e => e.ModelVersionId!.Value).Distinct().ToArray();
        var loadingModels = batch.Query<ModelVersionView>().Where(m => modelIds.Contains(m.Id)).Select(m => new ModelVersionSummary
        {
            Id = m.Id, ModelId = m.ModelId, Version = m.Version, Digest = m.Digest, JobId = m.JobId, RunId = m.RunId,
            BaseModel = m.BaseModel, Flags = m.Flags,
            NonCommercial = m.Restrictions.NonCommercial, ResearchOnly = m.Restrictions.ResearchOnly, NoDerivatives = m.Restrictions.NoDerivatives,
            ShareAlike = m.Restrictions.ShareAlike, InputLicences = m.Restrictions.InputLicences, LicenceConflicts = m.Restrictions.LicenceConflicts,
        }).ToList();
        var loadingJobs = batch.LoadMany<TrainingJob>().ById(edges.Select(e => e.JobId).Distinct().ToArray());
        await batch.Execute(ct);
        var runVersions = edges.Where(e => e.Kind == LineageEdge.RunKind).ToLookup(e => e.RunId!.Value);
        var modelEdges = edges.Where(e => e.Kind == LineageEdge.ModelVersionKind).ToLookup(e => e.ModelVersionId!.Value);
        return TypedResults.Ok(new DatasetLineage(
            id,
            dataset.Status,
            derived.Select(d => DerivedDataset.Of(id, d.View, d.DerivedFrom, d.Depth, chain)).ToList(),
            (await loadingJobs).OrderBy(j => j.RegisteredAt).Select(j => new DownstreamJob(j.Id, j.TrainingSystem, j.Operator, j.Purpose, j.Commercial, j.SiteId, j.SiteCountry)).ToList(),
            (await loadingRuns).Where(r => runVersions.Contains(r.Id)).OrderBy(r => r.FirstReportedAt)
                .SelectMany(r => runVersions[r.Id].GroupBy(e => e.DatasetId).OrderBy(g => Array.IndexOf(datasetIds, g.Key))
                    .Select(g => new DownstreamRun(r.Id, r.JobId, r.State, g.Key, g.Select(e => e.DatasetVersion).Distinct().Order().ToList(), r.FirstReportedAt, r.EndedAt)))
                .ToList(),
            (await loadingModels).SelectMany(m => modelEdges[m.Id].Select(e => new DownstreamModelVersion(
                    m.ModelId, m.Version, m.Digest, e.DatasetId, e.DatasetVersion, e.Depth, m.JobId, m.RunId, m.BaseModel,
                    new RestrictionSummary(m.NonCommercial, m.ResearchOnly, m.NoDerivatives, m.ShareAlike, m.InputLicences, m.LicenceConflicts), m.Flags)))
                .OrderBy(m => m.Depth).ThenBy(m => m.ModelId, StringComparer.Ordinal).ThenBy(m => m.Version, StringComparer.Ordinal)
                .ThenBy(m => Array.IndexOf(datasetIds, m.DatasetId)).ToList()));
    }
}
