using System.Security.Cryptography;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Transparency.Checkpoints;
using BalticAI.Sovereignty.Transparency.Merkle;

namespace BalticAI.Sovereignty.Transparency.Witnessing;

public sealed record WitnessVerdict(bool Accepted, string Reason, Checkpoint? Checkpoint, NoteSignature? Cosignature);

/// <summary>
/// What a witness (a regulator's inbox) does with each new checkpoint: verify the log's signature,
/// verify it extends the last checkpoint this witness accepted (so two authorities cannot be shown two
/// histories without one of them noticing), then cosign it. The caller keeps the last accepted checkpoint.
/// </summary>
public sealed class WitnessClient(string witnessName, ECDsa witnessKey, string logOrigin, IReadOnlyList<JsonObject> logKeys, TimeProvider clock)
{
    private readonly EcdsaNoteKey _publicKey = new(witnessName, witnessKey);

    /// <summary>The key ID regulators register for this witness, in `Ledger:Witnesses`.</summary>
    public string PublicKeyBase64 => Convert.ToBase64String(_publicKey.SubjectPublicKeyInfo);

    /// <param name="note">The new signed checkpoint note.</param>
    /// <param name="lastAccepted">The last checkpoint this witness cosigned, or null the first time.</param>
    /// <param name="consistencyProof">Proof from lastAccepted's size to the new size (GET /ledger/proofs/consistency).</param>
    public WitnessVerdict Cosign(string note, Checkpoint? lastAccepted, IReadOnlyList<byte[]> consistencyProof)
    {
        if (!CheckpointSigning.TryVerify(note, logOrigin, logKeys, out var checkpoint, out var error))
        {
            return new WitnessVerdict(false, $"log signature: {error}", null, null);
        }
        if (lastAccepted is not null)
        {
            if (checkpoint.Size < lastAccepted.Size)
            {
                return new WitnessVerdict(false, $"tree shrank from {lastAccepted.Size} to {checkpoint.Size}", checkpoint, null);
            }
            if (!ProofVerifier.VerifyConsistency(lastAccepted.Size, checkpoint.Size, lastAccepted.RootHash, checkpoint.RootHash, consistencyProof))
            {
                return new WitnessVerdict(false, $"checkpoint {checkpoint.Size} is not consistent with {lastAccepted.Size}", checkpoint, null);
            }
        }
        var cosignature = Cosignature.Create(checkpoint, _publicKey,
            message => witnessKey.SignData(message, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence),
            clock.GetUtcNow().ToUnixTimeSeconds());
        return new WitnessVerdict(true, "", checkpoint, cosignature);
    }
}
