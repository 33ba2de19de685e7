namespace BalticAI.Sovereignty.Contracts.Provenance;

/// <summary>
/// Sent to the training system that registered a model version when the version is flagged (a dataset upstream of it,
/// or the source version a derived dataset was made from, was withdrawn or restricted: rule 11) and when a flag is
/// cleared (the restriction was lifted), so that the model's provider reconsiders a model it may have released already
/// (retraining without the data, EDPB Opinion 28/2024). Published on the topic exchange <see cref="Exchange"/> with the
/// training system's organisation id as routing key, as grant revocations are; <see cref="EventId"/> is the ledger
/// event's, for de-duplication (a restart may repeat a notice).
/// </summary>
public sealed record ModelFlagNotice(
    Guid EventId,
    string ModelId,
    string Version,
    bool Flagged,
    Guid DatasetId,
    IReadOnlyList<string> Reasons,
    string TrainingSystem,
    string Operator,
    DateTimeOffset At)
{
    public const string Exchange = "balticai.model-flags";
}
