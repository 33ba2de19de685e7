using BalticAI.Sovereignty.Api.Ledger.RecordingReads;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Provenance.ModelVersions;
using BalticAI.Sovereignty.Api.Provenance.QueryingLineage;
using BalticAI.Sovereignty.Api.Provenance.Runs;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Provenance.Exporting;

/// <summary>W3C PROV-JSON exports of a model version's upstream and of a dataset's downstream.</summary>
public static class ExportProvEndpoints
{
    public static IEndpointRouteBuilder MapExportProv(this IEndpointRouteBuilder app)
    {
        app.MapGet("/models/{modelId}/versions/{version}/prov", ModelAsync)
            .RequireAuthorization(policy => policy.RequireRole(Roles.Auditor, Roles.Regulator))
            .RecordsReads()
            .WithName("ExportModelVersionProv")
            .WithTags("Provenance")
            .WithSummary("A model version's provenance as W3C PROV-JSON (Auditor, Regulator)")
            .Produces<JsonObject>(contentType: "application/json")
            .ProducesProblem(StatusCodes.Status404NotFound);
        app.MapGet("/datasets/{id:guid}/prov", DatasetAsync)
            .RequireAuthorization(policy => policy.RequireRole(Roles.Auditor, Roles.Regulator))
            .RecordsReads()
            .WithName("ExportDatasetProv")
            .WithTags("Provenance")
            .WithSummary("A dataset's downstream lineage as W3C PROV-JSON (Auditor, Regulator)")
            .WithDescription("The dataset and the datasets derived from it (lineage.derivedFrom, transitively), each version a specializationOf its dataset, with the runs that used them and the model versions trained on them. Regulators see what their feed carried, as in GET /datasets/{id}/lineage.")
            .Produces<JsonObject>(contentType: "application/json")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> ModelAsync(string modelId, string version, Caller caller, TenantMap tenants, IQuerySession session, CancellationToken ct)
    {
        var model = await session.LoadAsync<ModelVersionView>(LineageNames.ModelVersionId(modelId, version), ct);
        if (model is null || !await ProvenanceReadAccess.CanAuditAsync(caller, model, tenants, session, ct))
        {
            return ProvenanceReadAccess.ModelVersionNotFound(modelId, version);
        }
        var batch = session.CreateBatchQuery();
        var loadingModels = batch.LoadMany<ModelVersionView>().ById(model.Upstream.Select(u => u.TrainedInto).Append(model.Id).Distinct().ToArray());
        var loadingDatasets = batch.LoadMany<DatasetView>().ById(model.Upstream.Select(u => u.DatasetId).Distinct().ToArray());
        await batch.Execute(ct);
        return TypedResults.Ok(ForModel(model, (await loadingModels).ToDictionary(m => m.Id), (await loadingDatasets).ToDictionary(d => d.Id)).ToJson());
    }

    private static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> DatasetAsync(Guid id, Caller caller, TenantMap tenants, IQuerySession session, CancellationToken ct)
    {
        var dataset = await session.LoadAsync<DatasetView>(id, ct);
        // Datasets derived from this one (rule 11's lineage) are part of its story: their versions, runs and models too.
        if (dataset is null || await DerivedDatasets.ReadableAsync(session, caller, tenants, dataset, ct) is not (var derived, _, var edges, _))
        {
            return DatasetProblems.NotFound(id);
        }
        var batch = session.CreateBatchQuery();
        var loadingModels = batch.LoadMany<ModelVersionView>().ById(edges.Where(e => e.ModelVersionId is not null).Select(e => e.ModelVersionId!.Value).Distinct().ToArray());
        var loadingRuns = batch.LoadMany<TrainingRun>().ById(edges.Where(e => e.Kind == LineageEdge.RunKind).Select(e => e.RunId!.Value).Distinct().ToArray());
        await batch.Execute(ct);
        var datasets = derived.Select(d => (d.View, (Guid?)d.DerivedFrom)).Prepend((dataset, null)).ToList();
        return TypedResults.Ok(ForDataset(datasets, edges, (await loadingModels).ToDictionary(m => m.Id), await loadingRuns).ToJson());
    }

    /// <summary>Pure: the model version, every model version up its chain of bases, and the dataset versions each run used.</summary>
    public static ProvDocument ForModel(ModelVersionView model, IReadOnlyDictionary<Guid, ModelVersionView> models, IReadOnlyDictionary<Guid, DatasetView> datasets)
    {
        var prov = new ProvDocument();
        foreach (var m in models.Values.Append(model).DistinctBy(m => m.Id))
        {
            prov.Model(m);
        }
        foreach (var upstream in model.Upstream)
        {
            var entity = DatasetEntity(prov, upstream.DatasetId, upstream.Version, datasets.GetValueOrDefault(upstream.DatasetId));
            var trainedInto = models.GetValueOrDefault(upstream.TrainedInto) ?? model;
            prov.Used(ProvDocument.ActivityOf(upstream.JobId, upstream.RunId), entity)
                .WasDerivedFrom(ProvDocument.ModelVersion(trainedInto.ModelId, trainedInto.Version), entity);
        }
        return prov;
    }

    /// <summary>
    /// Pure: the datasets (the one asked for first, then those derived from it, each naming its source), their
    /// versions (each derived from the source versions it named), the runs that used them and the model versions derived from them.
    /// </summary>
    public static ProvDocument ForDataset(IReadOnlyList<(DatasetView Dataset, Guid? DerivedFrom)> datasets, IReadOnlyList<LineageEdge> edges, IReadOnlyDictionary<Guid, ModelVersionView> models, IReadOnlyList<TrainingRun> runs)
    {
        var prov = new ProvDocument();
        foreach (var (dataset, source) in datasets)
        {
            var whole = ProvDocument.Dataset(dataset.Id);
            prov.Entity(whole, "balticai:Dataset", ("balticai:status", dataset.Status));
            if (dataset.State.Withdrawal is { } withdrawal)
            {
                prov.WasInvalidatedBy(whole, withdrawal.At);
            }
            foreach (var version in dataset.State.Versions)
            {
                var entity = DatasetEntity(prov, dataset.Id, version.Number, dataset);
                prov.SpecializationOf(entity, whole);
                // Only the source versions its owner named: those assumed for a version that names none are not facts.
                foreach (var made in version.DerivedFrom)
                {
                    prov.WasDerivedFrom(entity, ProvDocument.DatasetVersion(made.DatasetId, made.Version));
                }
            }
            if (source is { } from)
            {
                prov.WasDerivedFrom(whole, ProvDocument.Dataset(from));
            }
        }
        foreach (var run in runs)
        {
            var activity = ProvDocument.ActivityOf(run.JobId, run.Id);
            prov.Activity(activity, "balticai:TrainingRun", ("balticai:job", run.JobId.ToString()), ("balticai:state", run.State));
            foreach (var edge in edges.Where(e => e.Kind == LineageEdge.RunKind && e.RunId == run.Id))
            {
                prov.Used(activity, ProvDocument.DatasetVersion(edge.DatasetId, edge.DatasetVersion));
            }
        }
        foreach (var edge in edges.Where(e => e.Kind == LineageEdge.ModelVersionKind && models.ContainsKey(e.ModelVersionId!.Value)))
        {
            var model = models[edge.ModelVersionId!.Value];
            prov.Model(model).WasDerivedFrom(ProvDocument.ModelVersion(model.ModelId, model.Version), ProvDocument.DatasetVersion(edge.DatasetId, edge.DatasetVersion));
        }
        return prov;
    }

    private static string DatasetEntity(ProvDocument prov, Guid datasetId, int version, DatasetView? dataset)
    {
        var entity = ProvDocument.DatasetVersion(datasetId, version);
        var published = dataset?.State.Versions.FirstOrDefault(v => v.Number == version);
        prov.Entity(entity, "balticai:DatasetVersion", ("balticai:digest", published?.Digest), ("balticai:licence", dataset?.State.Terms.Licensing.Licence),
            ("balticai:status", dataset?.Status));
        if (dataset is not null)
        {
            prov.Agent(ProvDocument.Organisation(dataset.Owner)).WasAttributedTo(entity, ProvDocument.Organisation(dataset.Owner));
        }
        if (published?.Withdrawal is { } withdrawal)
        {
            prov.WasInvalidatedBy(entity, withdrawal.At);
        }
        return entity;
    }
}
