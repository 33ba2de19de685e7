using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Datasets.ReferenceData;
using BalticAI.Sovereignty.Api.Decisions;
using BalticAI.Sovereignty.Api.Decisions.Grants;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Provenance;
using BalticAI.Sovereignty.Api.Provenance.ModelVersions;
using BalticAI.Sovereignty.Api.Provenance.Runs;
using BalticAI.Sovereignty.Api.TrainingJobs;

namespace BalticAI.Sovereignty.Cli.Seeding;

/// <summary>
/// The training side of the seeded history: each job collects redeemed grants until it has enough for a
/// run, then reports the run (START, RUNNING, COMPLETE) and registers the model version it produced,
/// trained on exactly the dataset versions its grants released. Later runs of a job mostly fine-tune its
/// previous model version, and now and then another job's, so lineage chains are a few fine-tunes deep.
/// Events and their contents are built by the broker's own pure code (grant coverage, run merging, the
/// model version registrar), so the documents Marten projects from them are the ones the API would write.
/// </summary>
public sealed class SeedLineage(
    Random random,
    Func<DateTimeOffset> tick,
    Func<string> digest,
    Func<Guid> newId,
    IReadOnlyDictionary<Guid, Dataset> datasets,
    IReadOnlyDictionary<string, LicenceTerms> licences)
{
    public const string Producer = "https://balticai.example/seed-trainer";

    /// <summary>Fine-tunes on fine-tunes stop here, so a model version's upstream stays a few levels deep.</summary>
    public const int MaxChain = 4;

    // What a decision's grant trace needs; the input document is left out to keep the plan small.
    private static readonly JsonObject NoInput = new();

    private static readonly Actor TrainingSystem = new("pl-cyfronet", "PL", SeedPlan.Application, "ps:seed-training-system");

    private readonly Dictionary<Guid, JobTraining> _jobs = [];
    private readonly Dictionary<Guid, AccessDecided> _decisions = [];
    private readonly List<(ModelVersionView View, int Chain)> _models = [];

    private sealed class JobTraining(TrainingJob job, int index, int threshold)
    {
        public TrainingJob Job { get; } = job;
        public int Index { get; } = index;
        public int Threshold { get; set; } = threshold;
        public List<Grant> Redeemed { get; } = [];
        public List<Grant> Pending { get; } = [];
        public int Runs { get; set; }
        public (ModelVersionView View, int Chain)? Latest { get; set; }
    }

    public void AddJob(TrainingJob job, int index) => _jobs[job.Id] = new JobTraining(job, index, NextThreshold());

    private int NextThreshold() => random.Next(2, 9);

    /// <summary>
    /// A grant of the job was issued (and perhaps redeemed or revoked): once the job holds enough redeemed,
    /// unrevoked grants it has not trained on, it runs and registers a model version.
    /// </summary>
    public IEnumerable<SeedStream> GrantRecorded(Grant grant, AccessDecided decided)
    {
        if (grant.Redemptions == 0)
        {
            yield break;
        }
        var training = _jobs[grant.JobId];
        training.Redeemed.Add(grant);
        _decisions[decided.DecisionId] = decided with { Input = NoInput };
        if (grant.Status != GrantStatus.Active)
        {
            yield break;
        }
        training.Pending.Add(grant);
        if (training.Pending.Count < training.Threshold)
        {
            yield break;
        }
        foreach (var stream in Run(training))
        {
            yield return stream;
        }
        training.Pending.Clear();
        training.Threshold = NextThreshold();
    }

    private IEnumerable<SeedStream> Run(JobTraining training)
    {
        var job = training.Job;
        var runId = newId();
        var read = training.Pending.Select(g => (g.DatasetId, g.DatasetVersion)).Distinct().ToList();
        training.Runs++;
        var modelId = job.Model.Name;
        var version = $"{training.Index}.{training.Runs}";
        var (baseView, chain) = ChooseBase(training);
        var countries = ProvenanceCountries.Of(job, TrainingSystem.Country, read.SelectMany(r => datasets[r.DatasetId].Countries));

        var start = Report(TrainingRun.Start, read.Select(r => new RunInput(r.DatasetId, r.DatasetVersion, [])).ToList(), [], []);
        var running = Report(TrainingRun.Running, Covered(stillReading: true), [], []);
        var key = new ModelVersionKey(modelId, version);
        var complete = Report(TrainingRun.Complete, Covered(stillReading: false), [new RunOutput(LineageNames.ModelNamespace, modelId, version)], [key]);
        yield return new SeedStream(runId, true, [new(start, TrainingSystem), new(running, TrainingSystem), new(complete, TrainingSystem)]);

        var run = TrainingRun.Create(start).Apply(running);
        var request = new ModelVersionRequest(modelId, version, digest(), runId, TrainingRun.Merge(run.Inputs, complete.Inputs),
            baseView is null ? null : new ModelVersionKey(baseView.ModelId, baseView.Version), "/outputs/0/name", $"/outputs/0/facets/{LineageNames.ModelFacet}/baseModel", "/outputs/0/name");
        var baseLink = baseView is not null
            ? new BaseModelLink(baseView.ModelId, baseView.Version, baseView.Id, baseView.Licence)
            : job.BaseModel is { } declared ? new BaseModelLink(declared.Name, declared.Version ?? "", null, declared.Licence) : null;
        var grants = training.Redeemed.ToDictionary(g => g.Id);
        var prepared = ModelVersionRegistrar.Build(LineageNames.ModelVersionId(modelId, version), job, TrainingSystem.Country, request, baseLink, baseView,
            grants, _decisions, datasets, licences, complete.RecordedAt);
        yield return new SeedStream(prepared.Registered.ModelVersionId, true,
            [new(prepared.Registered, TrainingSystem), .. prepared.Flags.Select(f => new SeedEvent(f, TrainingSystem))]);

        var registered = (ModelVersionView.Create(prepared.Registered), chain + 1);
        training.Latest = registered;
        _models.Add(registered);

        TrainingRunEventRecorded Report(string type, IReadOnlyList<RunInput> inputs, IReadOnlyList<RunOutput> outputs, IReadOnlyList<ModelVersionKey> models)
        {
            var at = tick();
            return new TrainingRunEventRecorded(runId, job.Id, type, at, Producer, digest(), inputs, outputs, models, at, countries);
        }

        IReadOnlyList<RunInput> Covered(bool stillReading) => read
            .Select(r => new RunInput(r.DatasetId, r.DatasetVersion, GrantCoverage.Check(r.DatasetId, r.DatasetVersion, training.Redeemed, stillReading).Covering))
            .ToList();
    }

    /// <summary>Mostly the job's own previous model version; sometimes another job's; never past <see cref="MaxChain"/>.</summary>
    private (ModelVersionView? View, int Chain) ChooseBase(JobTraining training)
    {
        if (training.Latest is { } own && own.Chain < MaxChain && random.Next(10) < 7)
        {
            return own;
        }
        if (_models.Count > 0 && random.Next(5) == 0)
        {
            var other = _models[random.Next(_models.Count)];
            if (other.Chain < MaxChain)
            {
                return other;
            }
        }
        return (null, 0);
    }
}
