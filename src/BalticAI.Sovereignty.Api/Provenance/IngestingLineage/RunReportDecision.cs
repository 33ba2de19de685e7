using BalticAI.Sovereignty.Api.Decisions.Grants;
using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Infrastructure.Validation;
using BalticAI.Sovereignty.Api.Provenance.Runs;
using BalticAI.Sovereignty.Api.TrainingJobs;

namespace BalticAI.Sovereignty.Api.Provenance.IngestingLineage;

/// <summary>What a run report leads to: exactly one of a recorded event, a violation, content errors or a conflict.</summary>
public sealed record RunReportOutcome(
    TrainingRunEventRecorded? Recorded,
    LineageViolationRecorded? Violation,
    FieldErrors Errors,
    string? Conflict,
    IReadOnlyList<int> ModelOutputs);

/// <summary>Pure: decides a run report against the recorded job, run, datasets and the job's grants.</summary>
public static class RunReportDecision
{
    public static RunReportOutcome Decide(
        OpenLineageRunEvent report, string contentDigest, TrainingJob job, string trainingSystemCountry, TrainingRun? run,
        IReadOnlyDictionary<Guid, DatasetView> datasets, IReadOnlyList<Grant> jobGrants, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        if (run is not null && run.HasEnded)
        {
            return Refused($"run {run.Id} already ended with {run.State}; nothing can follow it");
        }
        if (run is not null && report.EventType == TrainingRun.Start)
        {
            return Refused($"run {run.Id} was already reported ({run.State}); START can only be its first event");
        }
        // A report dated before the run's START would leave a run that ended (or read data) before it began.
        if (run?.Events.FirstOrDefault(e => e.EventType == TrainingRun.Start) is { } start && report.EventTime < start.EventTime)
        {
            return Refused($"run {run.Id} started at {start.EventTime:O}; a {report.EventType} report cannot be dated earlier ({report.EventTime:O})");
        }
        var inputs = report.Inputs ?? [];
        for (var i = 0; i < inputs.Count; i++)
        {
            if (!inputs[i].IsBrokerDataset)
            {
                // Before any byte is read this is a plan the broker cannot govern, not yet a violation.
                if (report.EventType == TrainingRun.Start)
                {
                    errors.Add($"/inputs/{i}/namespace", $"only {LineageNames.DatasetNamespace} datasets can be granted, so only they may be read");
                }
                continue;
            }
            var (datasetId, version) = inputs[i].DatasetVersion;
            if (!datasets.TryGetValue(datasetId, out var view))
            {
                errors.Add($"/inputs/{i}/name", $"no dataset {datasetId} is registered with the broker");
            }
            else if (view.State.Versions.All(v => v.Number != version))
            {
                errors.Add($"/inputs/{i}/facets/version/datasetVersion", DatasetProblems.NoSuchVersion(view.State, version));
            }
        }
        var outputs = report.Outputs ?? [];
        var models = report.EventType == TrainingRun.Complete ? Enumerable.Range(0, outputs.Count).Where(i => outputs[i].IsModel).ToList() : [];
        foreach (var duplicate in models.GroupBy(i => (outputs[i].Name, outputs[i].Version)).Where(g => g.Count() > 1).SelectMany(g => g.Skip(1)))
        {
            errors.Add($"/outputs/{duplicate}", "this model version is named twice");
        }
        if (!errors.IsEmpty)
        {
            return new RunReportOutcome(null, null, errors, null, []);
        }
        var dataCountries = new List<string>();
        var stillReading = report.EventType == TrainingRun.Running;
        var covered = new List<RunInput>();
        var uncovered = new List<UncoveredInput>();
        for (var i = 0; i < inputs.Count; i++)
        {
            var input = inputs[i];
            if (!input.IsBrokerDataset)
            {
                uncovered.Add(new UncoveredInput($"/inputs/{i}", input.Namespace, input.Name, null, null, "not a dataset registered with the broker, so no grant can cover it"));
                continue;
            }
            var (datasetId, version) = input.DatasetVersion;
            Check(datasetId, version, $"/inputs/{i}", input.Namespace, input.Name);
        }
        // Inputs reported earlier (at START, before any grant was redeemed) must be covered from RUNNING on too.
        foreach (var earlier in run?.Inputs ?? [])
        {
            if (!inputs.Any(i => i.IsBrokerDataset && i.DatasetVersion == (earlier.DatasetId, earlier.Version)))
            {
                Check(earlier.DatasetId, earlier.Version, "", LineageNames.DatasetNamespace, earlier.DatasetId.ToString());
            }
        }
        var countries = ProvenanceCountries.Of(job, trainingSystemCountry, dataCountries);
        if (uncovered.Count > 0)
        {
            var violation = new LineageViolationRecorded(LineageNames.ViolationId(job.Id, contentDigest), job.Id, report.Run.RunId, job.TrainingSystem,
                report.EventType, contentDigest, uncovered, now, countries);
            return new RunReportOutcome(null, violation, errors, null, []);
        }
        var recorded = new TrainingRunEventRecorded(report.Run.RunId, job.Id, report.EventType, report.EventTime, report.Producer, contentDigest,
            covered, outputs.Select(o => new RunOutput(o.Namespace, o.Name, o.Version)).ToList(),
            models.Select(i => new ModelVersionKey(outputs[i].Name, outputs[i].Version!)).ToList(), now, countries);
        return new RunReportOutcome(recorded, null, errors, null, models);

        void Check(Guid datasetId, int version, string pointer, string ns, string name)
        {
            if (datasets.TryGetValue(datasetId, out var view))
            {
                dataCountries.AddRange(view.Countries);
            }
            if (report.EventType == TrainingRun.Start)
            {
                covered.Add(new RunInput(datasetId, version, []));
                return;
            }
            var (grants, reason) = GrantCoverage.Check(datasetId, version, jobGrants, stillReading);
            if (reason is null)
            {
                covered.Add(new RunInput(datasetId, version, grants));
            }
            else
            {
                uncovered.Add(new UncoveredInput(pointer, ns, name, datasetId, version, reason));
            }
        }
    }

    private static RunReportOutcome Refused(string conflict) => new(null, null, new FieldErrors(), conflict, []);
}
