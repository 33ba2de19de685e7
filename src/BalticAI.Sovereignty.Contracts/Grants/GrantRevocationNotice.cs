namespace BalticAI.Sovereignty.Contracts.Grants;

/// <summary>
/// Sent to the training system that holds a grant when the grant is revoked, so that a running job
/// stops reading the dataset. Published on the topic exchange <see cref="Exchange"/> with the training
/// system's organisation id as routing key; each training system binds its own queue to its key.
/// </summary>
public sealed record GrantRevocationNotice(
    Guid GrantId,
    Guid DecisionId,
    Guid JobId,
    Guid DatasetId,
    int Version,
    string TrainingSystem,
    string Reason,
    DateTimeOffset RevokedAt)
{
    public const string Exchange = "balticai.grant-revocations";
}
