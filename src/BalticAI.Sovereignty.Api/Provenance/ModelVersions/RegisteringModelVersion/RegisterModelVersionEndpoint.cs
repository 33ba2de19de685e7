using BalticAI.Sovereignty.Api.Decisions.Grants;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Infrastructure.Persistence;
using BalticAI.Sovereignty.Api.Infrastructure.Validation;
using BalticAI.Sovereignty.Api.Ledger;
using BalticAI.Sovereignty.Api.Provenance.IngestingLineage;
using BalticAI.Sovereignty.Api.Provenance.Runs;
using BalticAI.Sovereignty.Api.TrainingJobs;
using BalticAI.Sovereignty.Security;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BalticAI.Sovereignty.Api.Provenance.ModelVersions.RegisteringModelVersion;

/// <summary>The REST twin of a COMPLETE run event, for training systems that do not speak OpenLineage.</summary>
public static partial class RegisterModelVersionEndpoint
{
    public sealed record TrainedOnVersion(Guid DatasetId, int Version);

    public sealed record RegisterModelVersion(string Version, string Digest, Guid JobId, Guid? RunId, IReadOnlyList<TrainedOnVersion> TrainedOn, ModelVersionKey? BaseModel);

    public static IEndpointRouteBuilder MapRegisterModelVersion(this IEndpointRouteBuilder app)
    {
        app.MapPost("/models/{modelId}/versions", HandleAsync)
            .RequireAuthorization(policy => policy.RequireRole(Roles.TrainingSystem))
            .WithName("RegisterModelVersion")
            .WithTags("Provenance")
            .WithSummary("Register a model version a training job produced (the job's TrainingSystem)")
            .WithDescription("Body: schemas/model-version.schema.json. Every dataset version it was trained on must be covered by a redeemed grant of the job, or the registration is refused with 422 and a lineage violation is recorded. A model's versions come from jobs of its provider only (the operator of the job behind its first version): a version of another organisation's model is 422 at /jobId. The same registration sent again answers 200 with the recorded version.")
            .Accepts<RegisterModelVersion>("application/json")
            .Produces<ModelVersionView>(StatusCodes.Status201Created)
            .Produces<ModelVersionView>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return app;
    }

    private const string ModelIdRule = "^[a-z0-9][a-z0-9._-]{0,127}$";

    public const string ModelIdInPathError = "the model id in the path must match " + ModelIdRule;

    [GeneratedRegex(ModelIdRule)]
    public static partial Regex ModelIdPattern();

    private static async Task<Results<Created<ModelVersionView>, Ok<ModelVersionView>, ProblemHttpResult>> HandleAsync(
        string modelId, HttpContext http, Caller caller, JsonRequests requests, IDocumentSession session, ModelVersionRegistrar registrar, TimeProvider clock)
    {
        var ct = http.RequestAborted;
        if (!ModelIdPattern().IsMatch(modelId))
        {
            return JsonRequests.Structure(FieldErrors.Of("modelId", ModelIdInPathError));
        }
        var (body, problem) = await RequestBody.ReadAsync(http.Request, RequestBody.Json, ct);
        if (problem is not null)
        {
            return problem;
        }
        var (request, structure) = requests.Typed<RegisterModelVersion>(body, "model-version");
        if (request is null)
        {
            return JsonRequests.Structure(structure);
        }
        var job = await session.LoadAsync<TrainingJob>(request.JobId, ct);
        if (job is null)
        {
            return JsonRequests.Content(FieldErrors.Of("/jobId", $"no training job {request.JobId} is registered"));
        }
        if (job.TrainingSystem != caller.Organisation)
        {
            return LineageProblems.NotTheTrainingSystem(job.TrainingSystem);
        }
        var id = LineageNames.ModelVersionId(modelId, request.Version);
        if (await session.LoadAsync<ModelVersionView>(id, ct) is { } existing)
        {
            return existing.IsRegisteredAs(job.Id, request.Digest, request.RunId, request.BaseModel, request.TrainedOn.Select(t => (t.DatasetId, t.Version)))
                ? TypedResults.Ok(existing)
                : LineageProblems.Conflict($"{LineageNames.ModelRef(modelId, request.Version)} is already registered with another digest, job, run, base model or training data");
        }
        var digest = CanonicalJson.Sha256(JsonNode.Parse(body.GetRawText()));
        var (trainedOn, errors, violation) = await CheckTrainedOnAsync(session, job, caller.Country, request, digest, clock.GetUtcNow(), ct);
        if (violation is not null)
        {
            return await LineageViolations.RecordAsync(session, caller, violation, ct);
        }
        if (!errors.IsEmpty)
        {
            return JsonRequests.Content(errors);
        }
        var (prepared, failed) = await registrar.PrepareAsync(session, job, caller.Country,
            new ModelVersionRequest(modelId, request.Version, request.Digest, request.RunId, trainedOn, request.BaseModel, "/version", "/baseModel", "/jobId"), clock.GetUtcNow(), ct);
        if (prepared is null)
        {
            return JsonRequests.Content(failed);
        }
        session.RecordActor(caller.Actor);
        prepared.Stage(session);
        try
        {
            await session.CommitAsync(ct);
        }
        catch (Exception e) when (LineageProblems.LostToConcurrentWrite(e))
        {
            return LineageProblems.ConcurrentWrite();
        }
        var view = prepared.Flags.Aggregate(ModelVersionView.Create(prepared.Registered), (v, f) => v.Apply(f));
        return TypedResults.Created($"/models/{modelId}/versions/{request.Version}", view);
    }

    /// <summary>Known dataset versions (422 otherwise), each covered by a redeemed grant of the job (a violation otherwise).</summary>
    private static async Task<(IReadOnlyList<RunInput> TrainedOn, FieldErrors Errors, LineageViolationRecorded? Violation)> CheckTrainedOnAsync(
        IDocumentSession session, TrainingJob job, string trainingSystemCountry, RegisterModelVersion request, string digest, DateTimeOffset now, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (request.RunId is { } runId)
        {
            var run = await session.LoadAsync<TrainingRun>(runId, ct);
            if (run is null || run.JobId != job.Id)
            {
                errors.Add("/runId", $"no run {runId} of this job was reported");
            }
        }
        var ids = request.TrainedOn.Select(t => t.DatasetId).Distinct().ToArray();
        var datasets = ids.Length == 0 ? new Dictionary<Guid, DatasetView>() : (await session.LoadManyAsync<DatasetView>(ct, ids)).ToDictionary(d => d.Id);
        for (var i = 0; i < request.TrainedOn.Count; i++)
        {
            var asked = request.TrainedOn[i];
            if (!datasets.TryGetValue(asked.DatasetId, out var view))
            {
                errors.Add($"/trainedOn/{i}/datasetId", $"no dataset {asked.DatasetId} is registered with the broker");
            }
            else if (view.State.Versions.All(v => v.Number != asked.Version))
            {
                errors.Add($"/trainedOn/{i}/version", DatasetProblems.NoSuchVersion(view.State, asked.Version));
            }
        }
        if (!errors.IsEmpty)
        {
            return ([], errors, null);
        }
        var grants = await session.Query<Grant>().Where(g => g.JobId == job.Id).ToListAsync(ct);
        var trainedOn = new List<RunInput>();
        var uncovered = new List<UncoveredInput>();
        for (var i = 0; i < request.TrainedOn.Count; i++)
        {
            var (datasetId, version) = (request.TrainedOn[i].DatasetId, request.TrainedOn[i].Version);
            var (covering, reason) = GrantCoverage.Check(datasetId, version, grants, stillReading: false);
            if (reason is null)
            {
                trainedOn.Add(new RunInput(datasetId, version, covering));
            }
            else
            {
                uncovered.Add(new UncoveredInput($"/trainedOn/{i}", LineageNames.DatasetNamespace, datasetId.ToString(), datasetId, version, reason));
            }
        }
        if (uncovered.Count == 0)
        {
            return (TrainingRun.Merge([], trainedOn), errors, null);
        }
        var countries = ProvenanceCountries.Of(job, trainingSystemCountry, datasets.Values.SelectMany(d => d.Countries));
        return ([], errors, new LineageViolationRecorded(LineageNames.ViolationId(job.Id, digest), job.Id, request.RunId, job.TrainingSystem,
            "model-version", digest, uncovered, now, countries));
    }
}
