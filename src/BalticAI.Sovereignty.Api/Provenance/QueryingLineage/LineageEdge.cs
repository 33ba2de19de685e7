using JasperFx.Events;
using Marten;
using Marten.Events.Projections;

namespace BalticAI.Sovereignty.Api.Provenance.QueryingLineage;

/// <summary>
/// One downstream use of a dataset version: a run that read it, or a model version that has it upstream
/// (directly or through fine-tunes). Indexed by dataset, so lineage and flagging read a few rows by
/// index instead of the event table.
/// </summary>
public sealed record LineageEdge
{
    public const string RunKind = "run";
    public const string ModelVersionKind = "model-version";

    public required string Id { get; init; }
    public Guid DatasetId { get; init; }
    public int DatasetVersion { get; init; }
    public required string Kind { get; init; }
    public Guid JobId { get; init; }
    public Guid? RunId { get; init; }
    public Guid? ModelVersionId { get; init; }
    public int Depth { get; init; }
    public string[] Countries { get; init; } = [];

    public static LineageEdge OfRun(TrainingRunEventRecorded e, RunInput input) => new()
    {
        Id = $"run:{e.RunId:N}:{input.DatasetId:N}:{input.Version}",
        DatasetId = input.DatasetId,
        DatasetVersion = input.Version,
        Kind = RunKind,
        JobId = e.JobId,
        RunId = e.RunId,
        Countries = [.. e.Countries],
    };

    public static LineageEdge OfModelVersion(ModelVersionRegistered e, UpstreamDataset upstream) => new()
    {
        Id = $"model:{e.ModelVersionId:N}:{upstream.DatasetId:N}:{upstream.Version}",
        DatasetId = upstream.DatasetId,
        DatasetVersion = upstream.Version,
        Kind = ModelVersionKind,
        JobId = e.JobId,
        RunId = e.RunId,
        ModelVersionId = e.ModelVersionId,
        Depth = upstream.Depth,
        Countries = [.. e.Countries],
    };
}

/// <summary>Inline: edges are written in the transaction of the event that makes them.</summary>
public sealed partial class LineageEdgeProjection : EventProjection
{
    public LineageEdgeProjection()
    {
        IncludeType<TrainingRunEventRecorded>();
        IncludeType<ModelVersionRegistered>();
    }

    public override ValueTask ApplyAsync(IDocumentOperations operations, IEvent e, CancellationToken cancellation)
    {
        switch (e.Data)
        {
            case TrainingRunEventRecorded run:
                operations.Store(run.Inputs.Select(i => LineageEdge.OfRun(run, i)).ToArray());
                break;
            case ModelVersionRegistered model:
                // A model version with the same dataset version upstream twice (directly and via its base) keeps the nearest.
                operations.Store(model.Upstream.GroupBy(u => (u.DatasetId, u.Version)).Select(g => LineageEdge.OfModelVersion(model, g.MinBy(u => u.Depth)!)).ToArray());
                break;
        }
        return ValueTask.CompletedTask;
    }
}
