namespace BalticAI.Sovereignty.Api.Provenance.Runs;

/// <summary>One accepted run event, kept so a repeated report gets the same answer.</summary>
public sealed record RecordedRunEvent(
    string EventType,
    DateTimeOffset EventTime,
    string ContentDigest,
    IReadOnlyList<RunInput> Inputs,
    IReadOnlyList<ModelVersionKey> ModelVersions,
    DateTimeOffset RecordedAt);

/// <summary>A training run as its reports leave it (inline snapshot of the run stream, id = OpenLineage runId).</summary>
public sealed record TrainingRun(
    Guid Id,
    Guid JobId,
    string State,
    IReadOnlyList<RunInput> Inputs,
    IReadOnlyList<RecordedRunEvent> Events,
    IReadOnlyList<string> Countries,
    DateTimeOffset FirstReportedAt,
    DateTimeOffset? EndedAt)
{
    public const string Start = "START";
    public const string Running = "RUNNING";
    public const string Complete = "COMPLETE";
    public const string Fail = "FAIL";
    public const string Abort = "ABORT";

    public static bool IsTerminal(string state) => state is Complete or Fail or Abort;

    public bool HasEnded => IsTerminal(State);

    public static TrainingRun Create(TrainingRunEventRecorded e) =>
        new TrainingRun(e.RunId, e.JobId, e.EventType, [], [], [], e.RecordedAt, null).Apply(e);

    public TrainingRun Apply(TrainingRunEventRecorded e) => this with
    {
        State = e.EventType,
        Inputs = Merge(Inputs, e.Inputs),
        Events = [.. Events, new RecordedRunEvent(e.EventType, e.EventTime, e.ContentDigest, e.Inputs, e.ModelVersions, e.RecordedAt)],
        Countries = Countries.Union(e.Countries).Order(StringComparer.Ordinal).ToList(),
        EndedAt = IsTerminal(e.EventType) ? e.EventTime : null,
    };

    /// <summary>The earlier report this one repeats: the same content.</summary>
    public RecordedRunEvent? Repeated(string contentDigest) => Events.FirstOrDefault(r => r.ContentDigest == contentDigest);

    /// <summary>
    /// An earlier report of the same type and time but other content: that report changed, not a repeat. Answering
    /// it with the earlier receipt acknowledged inputs that were neither recorded nor checked.
    /// </summary>
    public RecordedRunEvent? Clashing(string eventType, DateTimeOffset eventTime) =>
        Events.FirstOrDefault(r => r.EventType == eventType && r.EventTime == eventTime);

    /// <summary>Inputs of all reports, one entry per dataset version, with every grant that covered it.</summary>
    public static IReadOnlyList<RunInput> Merge(IReadOnlyList<RunInput> earlier, IReadOnlyList<RunInput> reported) =>
        earlier.Concat(reported)
            .GroupBy(i => (i.DatasetId, i.Version))
            .Select(g => new RunInput(g.Key.DatasetId, g.Key.Version, g.SelectMany(i => i.GrantIds).Distinct().ToList()))
            .ToList();
}
