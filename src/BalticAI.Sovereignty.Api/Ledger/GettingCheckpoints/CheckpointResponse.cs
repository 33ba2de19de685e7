using BalticAI.Sovereignty.Api.Ledger.Checkpointing;

namespace BalticAI.Sovereignty.Api.Ledger.GettingCheckpoints;

/// <summary>A checkpoint; Note is the C2SP signed note: body, blank line, the log's signature line, then any witness cosignature lines.</summary>
public sealed record CheckpointResponse(long Size, string RootHash, string Note, DateTimeOffset CreatedAt, IReadOnlyList<string> Cosignatures)
{
    public static CheckpointResponse From(StoredCheckpoint checkpoint) =>
        new(checkpoint.Size, Convert.ToBase64String(checkpoint.Root), checkpoint.CosignedNote, checkpoint.CreatedAt, checkpoint.Cosignatures);
}
