using BalticAI.Sovereignty.Api.Decisions.Grants;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Infrastructure.Persistence;
using BalticAI.Sovereignty.Api.Infrastructure.Validation;
using BalticAI.Sovereignty.Api.Ledger;
using BalticAI.Sovereignty.Api.Provenance.ModelVersions;
using BalticAI.Sovereignty.Api.Provenance.Runs;
using BalticAI.Sovereignty.Api.TrainingJobs;
using BalticAI.Sovereignty.Security;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Provenance.IngestingLineage;

/// <summary>The broker's answer to an accepted run report; a repeated report gets the same one.</summary>
public sealed record RunEventReceipt(
    Guid RunId,
    Guid JobId,
    string EventType,
    DateTimeOffset EventTime,
    string ContentDigest,
    IReadOnlyList<RunInput> Inputs,
    IReadOnlyList<ModelVersionKey> ModelVersions,
    DateTimeOffset RecordedAt)
{
    public static RunEventReceipt Of(Guid runId, Guid jobId, RecordedRunEvent e) =>
        new(runId, jobId, e.EventType, e.EventTime, e.ContentDigest, e.Inputs, e.ModelVersions, e.RecordedAt);
}

/// <summary>
/// Training systems report what their runs actually read and produced as OpenLineage run events. From
/// RUNNING on, a report naming data the job was not released is refused and recorded as a violation.
/// </summary>
public static class IngestLineageEndpoint
{
    public const string Schema = "openlineage-run-event";

    public static IEndpointRouteBuilder MapIngestLineage(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/lineage", HandleAsync)
            .RequireAuthorization(policy => policy.RequireRole(Roles.TrainingSystem))
            .WithName("IngestLineage")
            .WithTags("Provenance")
            .WithSummary("Report a training run's state, inputs and outputs as an OpenLineage RunEvent (the job's TrainingSystem)")
            .WithDescription("Body: schemas/openlineage-run-event.schema.json; naming convention in docs/provenance.md. From RUNNING on, every input must be covered by a redeemed grant of the job, or the report is refused with 422 and a lineage violation is recorded. COMPLETE with balticai://models outputs registers model versions. A repeated report (same run and content) is answered as the first; another report with the same run, type and time is 409.")
            .Accepts<OpenLineageRunEvent>("application/json")
            .Produces<RunEventReceipt>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return app;
    }

    private static async Task<Results<Ok<RunEventReceipt>, ProblemHttpResult>> HandleAsync(
        HttpContext http, Caller caller, JsonRequests requests, IDocumentSession session, ModelVersionRegistrar registrar, TimeProvider clock)
    {
        var ct = http.RequestAborted;
        var (body, problem) = await RequestBody.ReadAsync(http.Request, RequestBody.Json, ct);
        if (problem is not null)
        {
            return problem;
        }
        var (report, structure) = requests.Typed<OpenLineageRunEvent>(body, Schema);
        if (report is null)
        {
            return JsonRequests.Structure(structure);
        }
        var digest = CanonicalJson.Sha256(JsonNode.Parse(body.GetRawText()));
        var jobId = Guid.Parse(report.Job.Name);
        var job = await session.LoadAsync<TrainingJob>(jobId, ct);
        if (job is null)
        {
            return JsonRequests.Content(FieldErrors.Of("/job/name", $"no training job {jobId} is registered"));
        }
        if (job.TrainingSystem != caller.Organisation)
        {
            return LineageProblems.NotTheTrainingSystem(job.TrainingSystem);
        }
        var stream = await session.Events.FetchForWriting<TrainingRun>(report.Run.RunId, ct);
        var run = stream.Aggregate;
        if (run is not null && run.JobId != job.Id)
        {
            // Not which one: it may be another organisation's job, which this caller may not read.
            return JsonRequests.Content(FieldErrors.Of("/run/runId", $"run {run.Id} belongs to another training job"));
        }
        if (run?.Repeated(digest) is { } earlier)
        {
            return TypedResults.Ok(RunEventReceipt.Of(run.Id, run.JobId, earlier));
        }
        if (run?.Clashing(report.EventType, report.EventTime) is { } clashing)
        {
            return LineageProblems.Conflict($"run {run.Id} already has another {clashing.EventType} report at {clashing.EventTime:O} ({clashing.ContentDigest}); send a changed report with its own eventTime");
        }
        var violationId = LineageNames.ViolationId(job.Id, digest);
        if (await LineageViolations.PriorAsync(session, violationId, ct) is { } prior)
        {
            return LineageProblems.Violation(prior);
        }
        var outcome = await DecideAsync(session, report, digest, job, caller.Country, run, clock.GetUtcNow(), ct);
        if (outcome.Conflict is not null)
        {
            return LineageProblems.Conflict(outcome.Conflict);
        }
        if (outcome.Violation is { } violation)
        {
            return await LineageViolations.RecordAsync(session, caller, violation, ct);
        }
        if (outcome.Recorded is not { } recorded)
        {
            return JsonRequests.Content(outcome.Errors);
        }
        session.RecordActor(caller.Actor);
        stream.AppendOne(recorded);
        var registrationErrors = await RegisterModelsAsync(session, registrar, report, job, caller.Country, run, recorded, outcome.ModelOutputs, ct);
        if (!registrationErrors.IsEmpty)
        {
            return JsonRequests.Content(registrationErrors);
        }
        try
        {
            await session.CommitAsync(ct);
        }
        catch (Exception e) when (LineageProblems.LostToConcurrentWrite(e))
        {
            return LineageProblems.ConcurrentWrite();
        }
        return TypedResults.Ok(new RunEventReceipt(recorded.RunId, recorded.JobId, recorded.EventType, recorded.EventTime, recorded.ContentDigest,
            recorded.Inputs, recorded.ModelVersions, recorded.RecordedAt));
    }

    private static async Task<RunReportOutcome> DecideAsync(
        IDocumentSession session, OpenLineageRunEvent report, string digest, TrainingJob job, string trainingSystemCountry, TrainingRun? run, DateTimeOffset now, CancellationToken ct)
    {
        var datasetIds = (report.Inputs ?? []).Where(i => i.IsBrokerDataset).Select(i => i.DatasetVersion.DatasetId)
            .Concat(run?.Inputs.Select(i => i.DatasetId) ?? [])
            .Distinct().ToArray();
        var datasets = datasetIds.Length == 0
            ? new Dictionary<Guid, DatasetView>()
            : (await session.LoadManyAsync<DatasetView>(ct, datasetIds)).ToDictionary(d => d.Id);
        IReadOnlyList<Grant> grants = report.EventType == TrainingRun.Start
            ? []
            : await session.Query<Grant>().Where(g => g.JobId == job.Id).ToListAsync(ct);
        return RunReportDecision.Decide(report, digest, job, trainingSystemCountry, run, datasets, grants, now);
    }

    private static async Task<FieldErrors> RegisterModelsAsync(
        IDocumentSession session, ModelVersionRegistrar registrar, OpenLineageRunEvent report, TrainingJob job, string trainingSystemCountry, TrainingRun? run,
        TrainingRunEventRecorded recorded, IReadOnlyList<int> modelOutputs, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var trainedOn = TrainingRun.Merge(run?.Inputs ?? [], recorded.Inputs);
        foreach (var i in modelOutputs)
        {
            var output = report.Outputs![i];
            var request = new ModelVersionRequest(output.Name, output.Version!, output.ModelDigest!, recorded.RunId, trainedOn, output.NamedBaseModel,
                $"/outputs/{i}/name", $"/outputs/{i}/facets/{LineageNames.ModelFacet}/baseModel", $"/outputs/{i}/name");
            var (prepared, failed) = await registrar.PrepareAsync(session, job, trainingSystemCountry, request, recorded.RecordedAt, ct);
            foreach (var (pointer, messages) in failed.Entries)
            {
                messages.ForEach(m => errors.Add(pointer, m));
            }
            prepared?.Stage(session);
        }
        return errors;
    }
}
